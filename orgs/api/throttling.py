"""Throttles that read their rate from the settings at request time.

DRF's own classes copy ``DEFAULT_THROTTLE_RATES`` when first imported, so a rate changed with
``override_settings`` (or a test) would be ignored.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _RateFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    pass


class UserThrottle(_RateFromSettings, UserRateThrottle):
    pass
