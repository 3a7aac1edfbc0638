from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tisser.documents"
    label = "documents"
    verbose_name = "Documents PDF"
