-- One database per service (docker-compose); the services run their own migrations.
CREATE DATABASE kohtaamo_booking;
CREATE DATABASE kohtaamo_events;
CREATE DATABASE kohtaamo_notifications;
CREATE DATABASE kohtaamo_metrics;
CREATE DATABASE kohtaamo_guide;
