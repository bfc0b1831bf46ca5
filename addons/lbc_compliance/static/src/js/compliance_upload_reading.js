import {Interaction} from "@web/public/interaction";
import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";

/**
 * The vigilance document upload form (/my/compliance) reads the chosen attestation on the server
 * (res.partner.action_lbc_read_compliance_document, nothing stored) and pre-fills the issue date and the
 * URSSAF security code left empty; it shows what was read, or why the upload would be refused.
 * The upload reads the file again and decides.
 */
export class LbcComplianceUploadReading extends Interaction {
    static selector = "form.o_lbc_compliance_upload";
    dynamicContent = {
        "input[name=file]": {"t-on-change": this.onFileChange},
        "select[name=type_code]": {"t-on-change": this.onFileChange},
    };

    async onFileChange() {
        const fileInput = this.el.querySelector("input[name=file]");
        const typeCode = this.el.querySelector("select[name=type_code]").value;
        const preview = this.el.querySelector(".o_lbc_compliance_reading_preview");
        const file = fileInput.files && fileInput.files[0];
        if (!file || !typeCode) {
            return;
        }
        const datas = await this.waitFor(
            new Promise((resolve, reject) => {
                const reader = new FileReader();
                reader.onload = () => resolve(reader.result.split(",")[1] || "");
                reader.onerror = reject;
                reader.readAsDataURL(file);
            })
        );
        const result = await this.waitFor(
            rpc("/my/compliance/read", {type_code: typeCode, filename: file.name, datas})
        );
        preview.classList.remove("text-danger", "text-success", "text-warning");
        if (result.error) {
            preview.textContent = result.error;
            preview.classList.add("text-danger");
            return;
        }
        const dateInput = this.el.querySelector("input[name=issue_date]");
        if (result.issue_date && !dateInput.value) {
            dateInput.value = result.issue_date;
        }
        const codeInput = this.el.querySelector("input[name=urssaf_code]");
        if (result.urssaf_code && codeInput && !codeInput.value) {
            codeInput.value = result.urssaf_code;
        }
        preview.textContent = result.note || "";
        preview.classList.add(result.reading_state === "matched" ? "text-success" : "text-warning");
    }
}

registry.category("public.interactions").add("lbc_compliance.upload_reading", LbcComplianceUploadReading);
