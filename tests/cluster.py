"""A local three-node Kafka cluster for the tests, from ``deploy/local.sh --kafka-nodes 3``.

It runs beside whatever Kafka the rest of the suite uses: its own state folder (a temporary
one), its own free ports (three brokers and their three controllers), and the Kafka jars the
project already fetched (``.local/kafka/libs``, else ``local.sh`` fetches them into the state
folder). One cluster serves a whole test module and is stopped at its end.

``KOHTAAMO_TEST_KAFKA_CLUSTER_STATE`` (a folder) and ``KOHTAAMO_TEST_KAFKA_CLUSTER_PORT``
(the first broker's port) reuse a cluster across runs while working on these tests: it is
started if it is not running and left running afterwards.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "local.sh"
SHARED_LIBS = ROOT / ".local" / "kafka" / "libs"
NODES = 3


def _ports_free(first: int, count: int) -> bool:
    for port in range(first, first + count):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def free_port_range(count: int) -> int:
    """The first of `count` consecutive free ports, away from the usual ones."""
    for _ in range(200):
        first = random.randrange(20000, 32000)
        if _ports_free(first, count):
            return first
    raise RuntimeError(f"no {count} consecutive free ports found")


@dataclass
class KafkaCluster:
    state: Path
    first_port: int
    nodes: int = NODES

    @property
    def servers(self) -> list[str]:
        return [f"127.0.0.1:{self.first_port + i}" for i in range(self.nodes)]

    @property
    def bootstrap(self) -> str:
        """The comma-separated list, as KAFKA_BOOTSTRAP_SERVERS holds it."""
        return ",".join(self.servers)

    def _env(self) -> dict[str, str]:
        env = {**os.environ, "KOHTAAMO_STATE_DIR": str(self.state),
               "KAFKA_PORT": str(self.first_port), "PYTHON": sys.executable}
        env.pop("KAFKA_CONTROLLER_PORT", None)  # right after the brokers
        if (SHARED_LIBS / ".fetched").exists():
            env["KOHTAAMO_KAFKA_LIBS"] = str(SHARED_LIBS)
        return env

    def deploy(self, *args: str, timeout: float = 300) -> str:
        proc = subprocess.run(["bash", str(DEPLOY), *args], cwd=ROOT, env=self._env(),
                              capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"deploy/local.sh {' '.join(args)} failed "
                               f"({proc.returncode}):\n{proc.stdout[-3000:]}\n"
                               f"{proc.stderr[-3000:]}")
        return proc.stdout

    def start(self) -> None:
        """Start the nodes that are not running and wait until all are in the cluster."""
        self.deploy("kafka-start", "--kafka-nodes", str(self.nodes))

    def stop(self) -> None:
        self.deploy("kafka-stop")

    def status(self) -> str:
        proc = subprocess.run(["bash", str(DEPLOY), "status"], cwd=ROOT, env=self._env(),
                              capture_output=True, text=True, timeout=60)
        return proc.stdout

    def pid(self, node: int) -> int | None:
        path = self.state / "kafka" / f"node{node}" / "kafka.pid"
        try:
            pid = int(path.read_text())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

    def kill(self, node: int) -> None:
        """SIGKILL one node (broker and controller): no clean shutdown, no leader hand-off."""
        pid = self.pid(node)
        assert pid is not None, f"node {node} is not running"
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while self.pid(node) is not None and time.monotonic() < deadline:
            time.sleep(0.1)


@pytest.fixture(scope="module")
def kafka_cluster() -> Iterator[KafkaCluster]:
    reuse = os.environ.get("KOHTAAMO_TEST_KAFKA_CLUSTER_STATE")
    if reuse:
        cluster = KafkaCluster(Path(reuse),
                               int(os.environ.get("KOHTAAMO_TEST_KAFKA_CLUSTER_PORT", "19092")))
        cluster.start()
        yield cluster
        cluster.start()  # leave it whole for the next run
        return
    with tempfile.TemporaryDirectory(prefix="kohtaamo-kafka-cluster-") as state:
        cluster = KafkaCluster(Path(state), free_port_range(2 * NODES))
        try:
            cluster.start()
            yield cluster
        finally:
            try:
                cluster.stop()
            finally:
                # Whatever is left (a node restarted by a test and hung): by its own pid.
                for node in range(1, NODES + 1):
                    pid = cluster.pid(node)
                    if pid is not None:
                        os.kill(pid, signal.SIGKILL)
