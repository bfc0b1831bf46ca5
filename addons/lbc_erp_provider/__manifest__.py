{
    "name": "LBC Provider ERP",
    "summary": "Provider ERP: collaborators, assignments, activity reports, invoicing",
    "version": "19.0.1.1.0",
    "category": "LBC",
    "author": "LBC",
    "website": "https://www.lbc.example",
    "license": "LGPL-3",
    "depends": ["lbc_tender", "account", "l10n_fr_account"],
    "data": [
        "security/lbc_erp_provider_security.xml",
        "security/ir.model.access.csv",
        "data/product_data.xml",
        "data/mail_template_data.xml",
        "views/lbc_activity_report_views.xml",
        "views/lbc_mission_assignment_views.xml",
        "views/lbc_mission_views.xml",
        "views/res_partner_views.xml",
        "views/lbc_activity_report_portal_templates.xml",
        "views/lbc_erp_provider_menus.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "lbc_erp_provider/static/src/scss/lbc_erp_provider_portal.scss",
            "lbc_erp_provider/static/src/js/*.js",
        ],
        "web.assets_tests": [
            "lbc_erp_provider/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
