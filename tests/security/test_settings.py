"""Production settings pass the deploy check; a strict CSP covers pages, admin, API and docs
(issue 8)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from tests.makers import make_organization

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in (
            "DEBUG",
            "SECRET_KEY",
            "TESTING",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    env.update(
        DEBUG="0",
        TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SETTINGS_MODULE="eurasia.settings",
        **extra,
    )
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_is_clean_in_production():
    result = manage("check", "--deploy", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified some issues" not in output
    assert "System check identified no issues" in output


def test_the_deploy_check_is_clean_with_redis_and_a_longer_hsts():
    env = production_env(REDIS_URL="redis://127.0.0.1:6390/0", SECURE_HSTS_SECONDS="31536000")
    result = manage("check", "--deploy", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_refuses_the_development_secret_key():
    env = production_env()
    env["SECRET_KEY"] = ""
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_values():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS, "
        "s.SECURE_PROXY_SSL_HEADER, s.SECURE_REFERRER_POLICY, s.SECURE_CONTENT_TYPE_NOSNIFF)"
    )
    result = manage("shell", "-c", code, env=production_env(SECURE_HSTS_SECONDS="63072000"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "63072000",
        "True",
        "True",
        "True",
        "True",
        "DENY",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "same-origin",
        "True",
    ]


# --- Content-Security-Policy -----------------------------------------------------------------


def assert_strict_csp(response):
    policy = response.headers.get("Content-Security-Policy")
    assert policy, f"no CSP on {response.request['PATH_INFO']}"
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/organizations/",
        "/organizations/sco/",
        "/countries/",
        "/compare/",
        "/search/?q=sco",
        "/sources/",
        "/quotes/",
        "/changes/",
        "/no-such-page/",
    ],
)
def test_every_page_has_a_strict_csp(client, path):
    make_organization("sco", acronym="SCO")
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert_strict_csp(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/organizations/", "/api/v1/docs/", "/api/v1/schema/"])
def test_the_api_and_its_docs_have_a_strict_csp(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_strict_csp(response)


@pytest.mark.django_db
def test_the_swagger_docs_load_no_inline_script(client):
    page = client.get("/api/v1/docs/").content.decode()
    # SpectacularSwaggerSplitView: the bundle and its initialiser are both scripts with src.
    assert "<script>" not in page
    assert "<script >" not in page
    assert 'src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"' in page
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
    assert_strict_csp(script)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/login/",
        "/admin/",
        "/admin/orgs/membership/",
        "/admin/orgs/membership/add/",
        "/admin/orgs/source/add/",
    ],
)
def test_the_admin_has_a_strict_csp(client, path):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    if path != "/admin/login/":
        client.force_login(admin)
    response = client.get(path)
    assert response.status_code == 200
    assert_strict_csp(response)


TEMPLATES = ROOT / "templates"


def test_no_template_has_an_inline_script_or_style():
    """A strict CSP blocks them: scripts and styles live in static files."""
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            lowered = line.lower()
            if "<script>" in lowered or ("<script type=" in lowered and " src=" not in lowered):
                offenders.append(f"{template.relative_to(ROOT)}:{number}: inline <script>")
            if " style=" in lowered or "<style" in lowered:
                offenders.append(f"{template.relative_to(ROOT)}:{number}: inline style")
            if " onclick=" in lowered or " onload=" in lowered or " onchange=" in lowered:
                offenders.append(f"{template.relative_to(ROOT)}:{number}: event handler")
    assert not offenders, "\n".join(offenders)
