"""The residents' phone pages under /r/<community code>/ (namespace "residents"). Other apps put their own
resident pages under their paths and use this app's session and layout."""

from django.urls import path

from gaizao.residents import views

urlpatterns = [
    path("<str:code>/", views.entry, name="entry"),
    path("<str:code>/home/", views.home, name="home"),
    path("<str:code>/leave/", views.leave, name="leave"),
]
