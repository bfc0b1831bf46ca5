{
    "name": "LBC Compliance",
    "summary": "Legal vigilance of providers (Code du travail L.8222-1)",
    "version": "19.0.1.2.0",
    "category": "LBC",
    "author": "LBC",
    "website": "https://www.lbc.example",
    "license": "LGPL-3",
    "depends": ["lbc_base"],
    "data": [
        "security/lbc_compliance_security.xml",
        "security/ir.model.access.csv",
        "data/lbc_compliance_document_type_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "views/lbc_compliance_document_type_views.xml",
        "views/lbc_compliance_document_views.xml",
        "views/lbc_compliance_check_views.xml",
        "views/lbc_compliance_source_check_views.xml",
        "views/res_partner_views.xml",
        "views/lbc_compliance_menus.xml",
        "data/lbc_dashboard_data.xml",
        "views/lbc_compliance_document_portal_templates.xml",
        "views/lbc_compliance_client_portal_templates.xml",
        "views/res_partner_portal_templates.xml",
    ],
    "demo": [
        "demo/lbc_compliance_document_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "lbc_compliance/static/src/js/compliance_upload_reading.js",
        ],
        "web.assets_tests": [
            "lbc_compliance/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
