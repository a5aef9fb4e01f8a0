"""Accounts for the generated data: bureau, leader, a bureau per district, scoped leaders of cities and provinces,
one officer per sub-district, one user per contractor and per residents' committee. All share one password,
hashed once (hashing thousands of times would take minutes)."""

from django.contrib.auth.hashers import make_password

from gaizao.accounts.models import User
from gaizao.demo.synthetic.bulk import create_objects
from gaizao.works.models import Company, CompanyMember


def make_users(specs, password: str) -> dict[str, User]:
    """specs: (username, role, full name, sub-district or None[, area served or None]). Existing user names are
    left as they are."""
    existing = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in specs])}
    hashed = make_password(password)
    new = [User(username=username, role=role, first_name=full_name, subdistrict=sub, area=area, password=hashed,
                is_staff=role == User.Role.BUREAU)
           for username, role, full_name, sub, area in ((*spec, None)[:5] for spec in specs)
           if username not in existing]
    create_objects(User, new)
    return {**existing, **{u.username: u for u in new}}


def officer_name(subdistrict) -> str:
    return f"officer-{subdistrict.code}"


def contractor_name(number: int) -> str:
    return f"contractor-{number}"


def committee_name(community) -> str:
    return f"committee-{community.code}"


def make_companies(rng, communities: int, password: str, names) -> tuple[list[Company], list[Company], dict]:
    """Contractors (one for about forty communities), supervisors, and each contractor's reporting user."""
    contractors, supervisors = [], []
    taken = set(Company.objects.values_list("name", flat=True))

    def unique(text):
        name, n = text, 1
        while name in taken:
            n += 1
            name = text.replace("有限公司", f"第{n}有限公司")
        taken.add(name)
        return name

    for _number in range(max(3, communities // 40)):
        name = unique(f"{rng.choice(names.COMPANY_PLACES)}{rng.choice(names.COMPANY_WORDS)}工程有限公司")
        contractors.append(Company(name=name, kind=Company.Kind.CONTRACTOR, contact=names.person(rng),
                                   phone=f"139{rng.randint(10000000, 99999999)}"))
    for _number in range(max(1, communities // 200)):
        name = unique(f"{rng.choice(names.COMPANY_PLACES)}{rng.choice(names.SUPERVISOR_WORDS)}有限公司")
        supervisors.append(Company(name=name, kind=Company.Kind.SUPERVISOR, contact=names.person(rng)))
    create_objects(Company, contractors + supervisors)
    users = make_users([(contractor_name(n), User.Role.CONTRACTOR, company.name, None)
                        for n, company in enumerate(contractors, start=1)], password)
    already = set(CompanyMember.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    members = [CompanyMember(user=users[contractor_name(n)], company=company)
               for n, company in enumerate(contractors, start=1) if users[contractor_name(n)].pk not in already]
    create_objects(CompanyMember, members)
    reporters = {company.pk: users[contractor_name(n)] for n, company in enumerate(contractors, start=1)}
    return contractors, supervisors, reporters
