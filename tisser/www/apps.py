from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "tisser.www"
    label = "www"
    verbose_name = "Pages web"
