"""Personal data shown only to those who need it: everywhere else masked (138****5678)."""


def mask_phone(phone: str) -> str:
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id(number: str) -> str:
    text = (number or "").strip()
    if len(text) < 8:
        return "*" * len(text)
    return f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"


def mask_name(name: str) -> str:
    text = (name or "").strip()
    return text[:1] + "*" * (len(text) - 1) if text else ""


def may_see_personal_data(user) -> bool:
    """Bureau staff and the community's committee see full contacts; nobody else does."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in ("bureau",)))
