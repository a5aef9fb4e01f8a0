"""Votes (问计): staff pages under /votes/, residents' pages under /votes/r/<community code>/, API under /api/."""

from django.urls import path

from gaizao.votes import api, views

urlpatterns = [
    path("", views.vote_list, name="list"),
    path("new/", views.vote_create, name="create"),
    path("<int:vote_id>/", views.vote_detail, name="detail"),
    path("<int:vote_id>/live/", views.vote_live, name="live"),
    path("<int:vote_id>/paper/", views.paper_entry, name="paper"),
    path("<int:vote_id>/extend/", views.vote_extend, name="extend"),
    path("<int:vote_id>/recount/", views.vote_recount, name="recount"),
    path("r/<str:code>/", views.resident_votes, name="resident_list"),
    path("r/<str:code>/<int:vote_id>/", views.resident_vote, name="resident_vote"),
    path("r/<str:code>/<int:vote_id>/turnout/", views.resident_turnout, name="resident_turnout"),
]

api_urlpatterns = [
    path("votes/", api.VoteList.as_view(), name="api-votes"),
    path("votes/<int:vote_id>/result/", api.VoteResult.as_view(), name="api-vote-result"),
    path("votes/<int:vote_id>/ballots/", api.BallotCreate.as_view(), name="api-vote-ballots"),
]
