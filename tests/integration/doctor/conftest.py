"""PC/SC rig fixtures (pcscd + vpcd + a virtual EMV card) for the doctor's PC/SC tests."""

from tests.pcsc_rig import pcsc_rig, virtual_card  # noqa: F401 - fixtures
