"""URLs of this part of the residents' app (filled in by its views)."""

urlpatterns = []
api_urlpatterns = []
