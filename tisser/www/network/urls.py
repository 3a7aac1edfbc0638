"""Mon réseau (/reseau/): contacts, enquêtes-métiers, interview guides, the network view and
its import/export. Each part keeps its patterns in its own module, gathered here under one
namespace."""

app_name = "network"
urlpatterns: list = []
