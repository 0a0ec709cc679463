"""Runs a short scenario with the Python client generated, unmodified, from
openapi/openapi.json by openapi-python-client: accounts, sign-in, organisations and their
approval, a pairing letter, then a PDF and two XLSX files downloaded as bytes.

Usage: scenario.py BASE_URL PLATFORM_LOGIN PLATFORM_PASSWORD (the generated package
`zhihui_client` on PYTHONPATH)."""

import sys
import uuid
from datetime import date

from zhihui_client import AuthenticatedClient, Client
from zhihui_client.api.accounts import login, register_account
from zhihui_client.api.organizations import approve_organization, register_organization
from zhihui_client.api.pairing import create_pairing_letter, get_pairing_letter_pdf, send_pairing_letter
from zhihui_client.api.reports import export_report_rollup
from zhihui_client.api.volunteers import get_volunteer_import_template
from zhihui_client.models import (
    CreatePairingLetterRequest,
    LoginRequest,
    OrganizationView,
    PairingLetterView,
    ProposedActivity,
    RegisterAccountRequest,
    RegisterOrganizationRequest,
    RegisterOrganizationRequestCategory,
    RegisterOrganizationRequestLevel,
    TokenResponse,
)
from zhihui_client.models.export_report_rollup_format import ExportReportRollupFormat
from zhihui_client.models.get_volunteer_import_template_format import GetVolunteerImportTemplateFormat
from zhihui_client.types import File

BASE, PLATFORM, PLATFORM_PASSWORD = sys.argv[1:4]
PASSWORD = "generated-client-1"


def ok(response, kind):
    assert isinstance(response.parsed, kind), f"{response.status_code}: {response.content[:300]!r}"
    return response.parsed


def signed_in(login_name, password):
    anonymous = Client(base_url=BASE)
    tokens = ok(login.sync_detailed(client=anonymous, body=LoginRequest(login=login_name, password=password)), TokenResponse)
    return AuthenticatedClient(base_url=BASE, token=tokens.access_token)


def account(login_name, name):
    anonymous = Client(base_url=BASE)
    r = register_account.sync_detailed(
        client=anonymous, body=RegisterAccountRequest(login=login_name, password=PASSWORD, display_name=name)
    )
    assert r.status_code == 201, r.content
    return signed_in(login_name, PASSWORD)


def organization(client, name, category, level, region, parent=None):
    body = RegisterOrganizationRequest(
        name=name,
        category=RegisterOrganizationRequestCategory(category),
        level=RegisterOrganizationRequestLevel(level),
        region_code=region,
        contact_name="王芳",
        contact_phone="13800138000",
    )
    if parent is not None:
        body.parent_id = parent
    return ok(register_organization.sync_detailed(client=client, body=body), OrganizationView)


def approve(org):
    approved = ok(approve_organization.sync_detailed(org.id, client=platform), OrganizationView)
    assert approved.status.value == "approved", approved.status


run = uuid.uuid4().hex[:6]
society_admin = account(f"society-{run}@clients.test", "学会管理员")
county_admin = account(f"county-{run}@clients.test", "县科协管理员")
platform = signed_in(PLATFORM, PLATFORM_PASSWORD)
society = organization(society_admin, f"中国农学会{run}", "national_society", "national", "110000")
province = organization(county_admin, f"北京市科学技术协会{run}", "provincial_association", "province", "110000")
approve(society)
approve(province)
county = organization(county_admin, f"北京市朝阳区科学技术协会{run}", "county_association", "county", "110105", province.id)
approve(county)

letter = ok(
    create_pairing_letter.sync_detailed(
        client=society_admin,
        body=CreatePairingLetterRequest(
            sender_id=society.id,
            recipient_id=county.id,
            subject="关于商请共同开展科技志愿服务活动的函",
            purpose="发挥学会人才和技术优势，助力基层农业产业发展。",
            activities=[ProposedActivity(what="设施蔬菜病虫害绿色防控技术培训", month="2027-03", place="县农业技术推广中心")],
            period_from=date(2027, 1, 1),
            period_to=date(2027, 12, 31),
            contact_name="王建国",
            contact_phone="13800138000",
        ),
    ),
    PairingLetterView,
)
ok(send_pairing_letter.sync_detailed(letter.id, client=society_admin), PairingLetterView)

pdf = ok(get_pairing_letter_pdf.sync_detailed(letter.id, client=county_admin), File)
assert pdf.payload.read(5) == b"%PDF-", "a PDF"

template = ok(
    get_volunteer_import_template.sync_detailed(client=Client(base_url=BASE), format_=GetVolunteerImportTemplateFormat.XLSX),
    File,
)
assert template.payload.read(4) == b"PK\x03\x04", "an XLSX workbook"

rollup = ok(
    export_report_rollup.sync_detailed(client=platform, month_from="2026-06", format_=ExportReportRollupFormat.XLSX),
    File,
)
assert rollup.payload.read(4) == b"PK\x03\x04", "an XLSX workbook"
print("generated Python client: 1 passed, 0 failed")
