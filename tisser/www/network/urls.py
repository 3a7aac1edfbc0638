"""Mon réseau (/reseau/): contacts, enquêtes-métiers, interview guides, the network view and
its import/export. Each part keeps its patterns in its own module, gathered here under one
namespace."""

from tisser.www.network import graph_urls

app_name = "network"
urlpatterns = [*graph_urls.urlpatterns]
