"""Import and export of contacts, under the network's namespace (see `urls.py`)."""

from django.urls import path

from tisser.www.network import exchange_views as views

urlpatterns = [
    path("contacts/importer/", views.contacts_import_view, name="contacts_import"),
    path(
        "contacts/importer/<int:import_id>/",
        views.contacts_import_progress,
        name="contacts_import_progress",
    ),
    path("contacts/exporter/", views.contacts_export_view, name="contacts_export"),
    path("contacts/exporter/contacts.csv", views.contacts_export_csv, name="contacts_export_csv"),
    path(
        "contacts/exporter/contacts.vcf", views.contacts_export_vcard, name="contacts_export_vcard"
    ),
    path("contacts/<int:contact_id>/vcard/", views.contact_vcard, name="contact_vcard"),
]
