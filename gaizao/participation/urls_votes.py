"""Votes (问计): staff pages under /votes/, residents' pages under /votes/r/<community code>/, API under /api/."""

from django.urls import path

from gaizao.participation import vote_api, vote_views

urlpatterns = [
    path("", vote_views.vote_list, name="list"),
    path("new/", vote_views.vote_create, name="create"),
    path("<int:vote_id>/", vote_views.vote_detail, name="detail"),
    path("<int:vote_id>/live/", vote_views.vote_live, name="live"),
    path("<int:vote_id>/paper/", vote_views.paper_entry, name="paper"),
    path("r/<str:code>/", vote_views.resident_votes, name="resident_list"),
    path("r/<str:code>/<int:vote_id>/", vote_views.resident_vote, name="resident_vote"),
    path("r/<str:code>/<int:vote_id>/turnout/", vote_views.resident_turnout, name="resident_turnout"),
]

api_urlpatterns = [
    path("votes/", vote_api.VoteList.as_view(), name="api-votes"),
    path("votes/<int:vote_id>/result/", vote_api.VoteResult.as_view(), name="api-vote-result"),
    path("votes/<int:vote_id>/ballots/", vote_api.BallotCreate.as_view(), name="api-vote-ballots"),
]
