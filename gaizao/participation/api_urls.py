"""The residents' API routes, gathered from each part."""

from gaizao.participation import urls_feedback, urls_residents, urls_votes

urlpatterns = [*urls_votes.api_urlpatterns, *urls_residents.api_urlpatterns, *urls_feedback.api_urlpatterns]
