"""The API token of a system account (a contractor's app, the province's platform): print it, or replace it."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from gaizao.accounts.models import User
from gaizao.regions.models import Area


class Command(BaseCommand):
    help = ("Print the API token of a user (made on first use); --reset replaces it, --create makes a system "
            "account with this role first (no password: it signs in with the token only).")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="Replace the token: the old one stops working.")
        parser.add_argument("--create", metavar="ROLE", choices=User.Role.values,
                            help="Create the account with this role when it does not exist.")
        parser.add_argument("--subdistrict", metavar="CODE",
                            help="Division code of a sub-district officer's sub-district.")

    @transaction.atomic
    def handle(self, username, reset=False, create=None, subdistrict=None, **options):
        user = User.objects.filter(username=username).first()
        if user is None and create is None:
            raise CommandError(_("There is no user %(name)s; add --create ROLE to make a system account.")
                               % {"name": username})
        if user is None:
            user = _system_account(username, create, subdistrict)
        if not user.is_active:
            raise CommandError(_("The user %(name)s is not active.") % {"name": username})
        if reset:
            Token.objects.filter(user=user).delete()
        token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)


def _system_account(username, role, subdistrict_code) -> User:
    area = None
    if role == User.Role.SUBDISTRICT_OFFICER:
        area = Area.objects.filter(level=Area.Level.SUBDISTRICT, code=subdistrict_code or "").first()
        if area is None:
            raise CommandError(_("A sub-district officer needs --subdistrict with the code of a sub-district."))
    user = User(username=username, role=role, subdistrict=area)
    user.set_unusable_password()
    user.save()
    return user
