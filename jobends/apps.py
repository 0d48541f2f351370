from django.apps import AppConfig


class JobEndsConfig(AppConfig):
    name = "jobends"
    verbose_name = "Job ends, team meetings and exits"
