"""The benchmark behind `make bench` (bench/run): demo data at coalition scale, gunicorn, wrk, the printed table."""
