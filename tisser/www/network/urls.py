"""Mon réseau (/reseau/): contacts, enquêtes-métiers, interview guides, the network view and
its import/export. Each part keeps its patterns in its own module, gathered here under one
namespace."""

from tisser.www.network import contacts_urls, exchange_urls, graph_urls, guides_urls

app_name = "network"
urlpatterns: list = [
    *contacts_urls.urlpatterns,
    *exchange_urls.urlpatterns,
    *guides_urls.urlpatterns,
    *graph_urls.urlpatterns,
]
