# Production-like image for docker-compose.yml (not exercised by CI).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=ips_portal.settings.production
WORKDIR /app
# Pango and HarfBuzz for WeasyPrint's documents; the fonts ship with the project.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt gunicorn==27.0.1
COPY . .
RUN DJANGO_SECRET_KEY=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    CELERY_BROKER_URL=memory:// DJANGO_ALLOWED_HOSTS=build \
    python manage.py collectstatic --no-input
USER nobody
CMD ["gunicorn", "ips_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
