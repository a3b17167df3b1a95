"""The REST API under /api/v1/: serializers, viewsets and the overlap view (see docs/architecture.md)."""
