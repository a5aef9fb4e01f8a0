"""Creating accounts with a role; used by the demo and by tests."""

from gaizao.accounts.models import User


def ensure_user(username: str, password: str, role: str, *, subdistrict=None, full_name: str = "",
                superuser: bool = False, area=None) -> User:
    user, _ = User.objects.get_or_create(username=username)
    user.role = role
    user.subdistrict = subdistrict
    user.area = area
    user.first_name = full_name
    # The admin edits the whole platform: not for a bureau serving one district.
    user.is_staff = superuser or (role == User.Role.BUREAU and area is None)
    user.is_superuser = superuser
    user.set_password(password)
    user.save()
    return user
