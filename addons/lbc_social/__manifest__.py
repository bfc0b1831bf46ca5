{
    "name": "LBC Social Network",
    "summary": "Professional social network: profiles, connections, conversations, groups, moderation",
    "version": "19.0.1.0.1",
    "category": "LBC",
    "author": "LBC",
    "website": "https://www.lbc.example",
    "license": "LGPL-3",
    "depends": ["lbc_base"],
    "data": [
        "security/lbc_social_security.xml",
        "security/ir.model.access.csv",
        "views/lbc_content_report_views.xml",
        "views/lbc_profile_views.xml",
        "views/lbc_social_group_views.xml",
        "views/lbc_article_views.xml",
        "views/lbc_social_menus.xml",
        "data/lbc_dashboard_data.xml",
    ],
    "demo": [
        "demo/lbc_social_demo.xml",
    ],
    "installable": True,
}
