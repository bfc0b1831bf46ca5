import {Interaction} from "@web/public/interaction";
import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";

/**
 * Live check of the SIRET typed in the company form (/my/company): the server validates it with
 * python-stdnum and says whether the company is already on the platform. The server checks it again on save.
 */
export class LbcSiretCheck extends Interaction {
    static selector = ".o_lbc_siret";
    dynamicContent = {
        _root: {"t-on-input": this.debounced(this.onInput, 300)},
    };

    async onInput() {
        const value = this.el.value.trim();
        const messageEl = this.el.parentElement.querySelector(".o_lbc_siret_message");
        if (!value) {
            this.el.classList.remove("is-valid", "is-invalid");
            if (messageEl) {
                messageEl.textContent = "";
            }
            return;
        }
        const result = await this.waitFor(rpc("/my/company/siret_check", {siret: value}));
        this.el.classList.toggle("is-valid", result.valid);
        this.el.classList.toggle("is-invalid", !result.valid);
        if (messageEl) {
            messageEl.textContent = result.message;
            messageEl.classList.toggle("text-success", result.valid);
            messageEl.classList.toggle("text-danger", !result.valid);
        }
    }
}

registry.category("public.interactions").add("lbc_base.siret_check", LbcSiretCheck);
