def post_init_hook(env):
    """Installed on a database whose companies already have their chart: LBC's products get their taxes."""
    env["product.template"]._lbc_set_company_taxes()
