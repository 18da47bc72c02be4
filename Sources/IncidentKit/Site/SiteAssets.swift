/// The site's one stylesheet and one script, written as `assets/site.css` and `assets/site.js`
/// (or inlined into a report). Hand-written, nothing fetched from anywhere.
public enum SiteAssets {
    public static let css = """
        :root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;
        --panel:#f6f8fa;--link:#0a58ca;--sev1:#b42318;--sev2:#c4320a;--sev3:#9a6700;--sev4:#3b6d11;
        --ok:#1a7f37;--warn:#9a6700;--bad:#b42318;--info:#0a58ca;--mark:#fff3b0}
        @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;
        --line:#30363d;--panel:#161b22;--link:#6cb6ff;--sev1:#ff7b72;--sev2:#ffa657;--sev3:#e3b341;
        --sev4:#7ee787;--ok:#3fb950;--warn:#d29922;--bad:#f85149;--info:#58a6ff;--mark:#5c4a00}}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;background:var(--bg);color:var(--fg);line-height:1.45;
        font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
        a{color:var(--link)}
        a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{
        outline:3px solid var(--info);outline-offset:2px}
        .skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:var(--bg);
        padding:4px}
        header.site{border-bottom:1px solid var(--line);background:var(--panel)}
        header.site nav{max-width:1100px;margin:0 auto;padding:10px \
        16px;display:flex;flex-wrap:wrap;
        gap:4px 18px;align-items:center}
        header.site .brand{font-weight:700;margin-right:auto}
        header.site a[aria-current=page]{font-weight:700;text-decoration:none}
        main{max-width:1100px;margin:0 auto;padding:16px}
        footer{max-width:1100px;margin:0 auto;padding:16px;color:var(--muted);font-size:13px;
        border-top:1px solid var(--line)}
        h1{font-size:1.6rem;margin:.3em 0;overflow-wrap:anywhere}
        h2{font-size:1.2rem;margin:1.4em 0 .5em;border-bottom:1px solid \
        var(--line);padding-bottom:.2em}
        h3{font-size:1rem;margin:1em 0 .3em}
        p,li,td,th,dd{overflow-wrap:anywhere}
        .muted{color:var(--muted)}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:10px;
        margin:10px 0}
        .card{border:1px solid var(--line);border-radius:8px;padding:10px \
        12px;background:var(--panel)}
        .card b{display:block;font-size:1.6rem}
        .table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
        table{border-collapse:collapse;width:100%;margin:8px 0}
        th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid \
        var(--line)}
        th{background:var(--panel);font-weight:600;overflow-wrap:normal}
        thead th{white-space:nowrap}
        table.compact{width:auto;min-width:min(100%,420px)}
        td.kind{white-space:nowrap}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        td.when{white-space:nowrap;font-variant-numeric:tabular-nums}
        .badge{display:inline-block;border:1px solid currentColor;border-radius:4px;padding:0 5px;
        font-size:12px;font-weight:700;white-space:nowrap}
        .sev-0{color:var(--sev1)}.sev-1{color:var(--sev2)}.sev-2{color:var(--sev3)}.sev-3{
        color:var(--sev4)}
        .sev-x{color:var(--muted)}
        .overdue{color:var(--bad);font-weight:700}
        .ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:8px 0}
        dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
        del{color:var(--muted)}
        pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--panel);
        border:1px solid var(--line);
        border-radius:6px;padding:8px 10px;font:13px/1.4 \
        ui-monospace,SFMono-Regular,Menlo,monospace}
        code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
        .prose{white-space:pre-wrap}
        svg{max-width:100%;height:auto;display:block}
        svg text{fill:var(--fg);font:12px system-ui,sans-serif}
        svg .axis{stroke:var(--line)}svg .grid{stroke:var(--line);stroke-dasharray:2 3}
        svg .lbl{fill:var(--muted);font-size:11px}
        .ph-detect{fill:#8c959f}.ph-declare{fill:#cf222e}.ph-contain{fill:#bc4c00}
        .ph-eradicate{fill:#9a6700}.ph-recover{fill:#1a7f37}.ph-review{fill:#0969da}
        svg .span{opacity:.28}svg .mark{stroke:var(--bg);stroke-width:1}
        .k-phase{fill:var(--fg)}.k-note{fill:#6e7781}.k-action{fill:#bc4c00}
        .k-decision{fill:#8250df}
        .k-comms{fill:#0969da}.k-alert{fill:#cf222e}.k-other{fill:#57606a}
        .bar-med{fill:#0969da}.bar-p90{fill:#8250df}.bar-n{fill:#57606a}
        .legend{display:flex;flex-wrap:wrap;gap:4px \
        14px;font-size:13px;color:var(--muted);margin:4px 0}
        .legend svg{display:inline-block;vertical-align:middle;margin-right:4px}
        .days svg{width:100%}
        form.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px;
        align-items:end;background:var(--panel);border:1px solid var(--line);border-radius:8px;
        padding:10px}
        form.filters \
        label{display:flex;flex-direction:column;font-size:13px;color:var(--muted);gap:2px}
        form.filters input,form.filters select,form.filters button{font:inherit;padding:5px 6px;
        border:1px solid \
        var(--line);border-radius:6px;background:var(--bg);color:var(--fg);min-width:0}
        form.filters .q{grid-column:1/-1}
        .status-banner{border-radius:8px;padding:14px 16px;font-size:1.2rem;font-weight:700;
        margin:10px 0;
        border:2px solid currentColor}
        .st-operational{color:var(--ok)}.st-degraded_performance{color:var(--warn)}
        .st-partial_outage{color:var(--sev2)}.st-major_outage{color:var(--bad)}
        .st-under_maintenance{color:var(--info)}
        .component{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 12px;
        border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:8px 0}
        .component h3{margin:0}
        .component .days{flex-basis:100%}
        .days rect.d-operational{fill:var(--ok)}.days rect.d-degraded_performance{fill:var(--warn)}
        .days rect.d-partial_outage{fill:var(--sev2)}.days rect.d-major_outage{fill:var(--bad)}
        .days rect.d-none{fill:var(--line)}
        article.update{border-left:4px solid var(--line);padding:2px 12px;margin:10px 0}
        article.update h3{margin:.2em 0}
        [hidden]{display:none !important}
        @media (max-width:640px){body{font-size:14px}main{padding:10px}
        th,td{padding:5px 4px}.hide-narrow{display:none}h1{font-size:1.3rem}
        td.title{min-width:11em}}
        .chart{overflow-x:auto}.chart svg.timeline{min-width:760px}.chart svg.bars{min-width:600px}
        .chart svg.hbars{min-width:520px}
        svg.timeline text,svg.timeline .lbl{font-size:14px}svg.bars text,svg.bars \
        .lbl{font-size:17px}
        @media print{:root{--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--panel:#fff;--link:#000}
        header.site,form.filters,.skip,.noprint{display:none !important}
        main{max-width:none;padding:0}body{font-size:11pt}a{text-decoration:none}
        a[href^="http"]::after{content:" (" attr(href) ")";font-size:9pt;color:#444}
        table,svg,article,section{break-inside:avoid-page}h2{break-after:avoid}
        tr{break-inside:avoid}}
        """

    /// Progressive enhancement only: every page reads fine without it. It brings ages and
    /// overdue flags up to the reader's clock, and runs the archive's filters, whose state lives
    /// in the URL's query so that a search is a link.
    public static let js = """
        "use strict";
        (function(){
        function dur(s){s=Math.max(0,Math.floor(s));if(s<60)return s+"s";
        if(s<3600)return Math.floor(s/60)+"m";
        if(s<86400)return Math.floor(s/3600)+"h "+Math.floor(s%3600/60)+"m";
        return Math.floor(s/86400)+"d "+Math.floor(s%86400/3600)+"h";}
        function live(){var now=Date.now()/1000;
        document.querySelectorAll("[data-since]").forEach(function(e){
        e.textContent=dur(now-Number(e.getAttribute("data-since")));});
        var late=0;document.querySelectorAll("[data-due]").forEach(function(e){
        var due=now>Number(e.getAttribute("data-due"));e.hidden=!due;
        if(due&&e.closest("#open"))late++;});
        var count=document.getElementById("overdue-count");if(count)count.textContent=String(late);}
        function norm(s){
        return String(s||"").toLowerCase().normalize("NFD").replace(/[\\u0300-\\u036f]/g,"");}
        function archive(){var box=document.getElementById("archive-data");if(!box)return;
        var data=JSON.parse(box.textContent),form=document.getElementById("filters"),
        rows=document.querySelectorAll("#archive tbody tr"),count=document.getElementById("count");
        var names=["q","severity","service","tag","phase","from","to"];
        var params=new URLSearchParams(location.search);
        names.forEach(function(n){var \
        el=form.elements[n];if(el&&params.has(n))el.value=params.get(n);}
        );
        function apply(push){var v={};names.forEach(function(n){var el=form.elements[n];
        v[n]=el?el.value.trim():"";});
        var words=norm(v.q).split(/\\s+/).filter(Boolean),
        from=v.from?Date.parse(v.from+"T00:00:00Z")/1000:null,
        to=v.to?Date.parse(v.to+"T00:00:00Z")/1000+86400:null,shown=0;
        for(var i=0;i<rows.length;i++){var d=data[Number(rows[i].getAttribute("data-i"))],ok=true;
        if(v.severity&&d[1]!==v.severity)ok=false;
        if(ok&&v.phase&&!(v.phase==="open"?d[2]!=="closed":d[2]===v.phase))ok=false;
        if(ok&&v.service&&d[3].indexOf(v.service)<0)ok=false;
        if(ok&&v.tag&&d[4].indexOf(v.tag)<0)ok=false;
        if(ok&&from!==null&&d[5]<from)ok=false;if(ok&&to!==null&&d[5]>=to)ok=false;
        if(ok&&words.length){var t=d[6];for(var w=0;w<words.length;w++){if(t.indexOf(words[w])<0){
        ok=false;break;}}}
        rows[i].hidden=!ok;if(ok)shown++;}
        count.textContent=shown+" of "+rows.length+" incidents";
        if(push){var q=new URLSearchParams();names.forEach(function(n){if(v[n])q.set(n,v[n]);});
        var s=q.toString();history.replaceState(null,"",location.pathname+(s?"?"+s:""));}}
        form.addEventListener("submit",function(e){e.preventDefault();apply(true);});
        form.addEventListener("input",function(){apply(true);});
        form.addEventListener("reset",function(){setTimeout(function(){apply(true);},0);});
        apply(false);document.documentElement.setAttribute("data-ready","1");}
        document.addEventListener("DOMContentLoaded",function(){live();archive();});
        })();
        """
}
