{
    "name": "LBC Portal",
    "summary": "Member portal: signup, company, agreements and the /my pages",
    "version": "19.0.1.0.2",
    "category": "LBC",
    "author": "LBC",
    "website": "https://www.lbc.example",
    "license": "LGPL-3",
    "depends": ["lbc_social", "lbc_erp_client", "website", "auth_oidc"],
    "data": [
        "security/ir.model.access.csv",
        "data/auth_oauth_data.xml",
        "views/auth_oauth_templates.xml",
        "views/auth_activation_templates.xml",
        "views/portal_account_templates.xml",
        "data/portal_account_data.xml",
        "views/portal_lifecycle_templates.xml",
        "views/website_templates.xml",
        "data/website_data.xml",
    ],
    "assets": {
        "web._assets_primary_variables": [
            (
                "before",
                "website/static/src/scss/primary_variables.scss",
                "lbc_portal/static/src/scss/primary_variables.scss",
            ),
            (
                "after",
                "website/static/src/scss/primary_variables.scss",
                "lbc_portal/static/src/scss/primary_variables_palette.scss",
            ),
        ],
        "web.assets_frontend": [
            "lbc_portal/static/src/scss/lbc_portal.scss",
            "lbc_portal/static/src/scss/website.scss",
        ],
        "web.assets_tests": [
            "lbc_portal/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
