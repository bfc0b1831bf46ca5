import {loadBundle} from "@web/core/assets";
import {registry} from "@web/core/registry";
import {Interaction} from "@web/public/interaction";

/**
 * Draws a chart of the portal dashboard: the server computes the data (with the member's rights)
 * and renders it as a Chart.js configuration in the canvas' data-lbc-chart attribute.
 */
export class LbcMarketplaceChart extends Interaction {
    static selector = "canvas.o_lbc_marketplace_chart";

    async willStart() {
        await loadBundle("web.chartjs_lib");
    }

    start() {
        const config = JSON.parse(this.el.dataset.lbcChart || "{}");
        if (!config.type || !window.Chart) {
            return;
        }
        this.chart = new window.Chart(this.el, config);
        this.el.classList.add("o_lbc_chart_ready");
    }

    destroy() {
        this.chart?.destroy();
    }
}

registry.category("public.interactions").add("lbc_erp_provider.marketplace_chart", LbcMarketplaceChart);
