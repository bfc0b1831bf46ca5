{
    "name": "LBC Portal",
    "summary": "Member portal: signup, company, agreements and the /my pages",
    "version": "19.0.1.0.0",
    "category": "LBC",
    "author": "LBC",
    "website": "https://www.lbc.example",
    "license": "LGPL-3",
    "depends": ["lbc_social", "lbc_erp_client", "website"],
    "data": [],
    "installable": True,
}
