# Reference numbers for tests/clinical, computed with R (survival, pROC, maxstat).
#
#   Rscript tests/clinical/r/references.R tests/data/clinical
#
# Reads the test tables in that folder (written by make_tables.py; surv_lung.csv and
# roc_asah.csv are exported here from the survival and pROC packages) and writes
# ref_survival.json, ref_roc.json and ref_tests.json beside them. The Python tests read only
# the JSON files, so R is not needed to run them.
#
# Conventions mirrored from mirscope: high = marker > cut; rows with missing or negative time,
# missing event or missing marker are dropped before the analysis.

suppressPackageStartupMessages({
  library(survival)
  library(pROC)
  library(jsonlite)
})
has_maxstat <- suppressWarnings(requireNamespace("maxstat", quietly = TRUE))

args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args)) args[1] else "tests/data/clinical"
rd <- function(name) read.csv(file.path(dir, name), stringsAsFactors = FALSE)

# ---- exported package datasets ---------------------------------------------------------
lung_out <- survival::lung
lung_out$status <- lung_out$status - 1  # 1/2 -> 0/1
write.csv(lung_out[, c("time", "status", "age", "sex", "ph.ecog", "ph.karno", "wt.loss")],
          file.path(dir, "surv_lung.csv"), row.names = FALSE, na = "")
data(aSAH, package = "pROC")
asah <- data.frame(outcome = as.character(aSAH$outcome), s100b = aSAH$s100b, ndka = aSAH$ndka,
                   wfns = as.integer(aSAH$wfns))
write.csv(asah, file.path(dir, "roc_asah.csv"), row.names = FALSE)

# ---- survival ----------------------------------------------------------------------------
clean <- function(d, time, event, extra) {
  keep <- !is.na(d[[time]]) & d[[time]] >= 0 & !is.na(d[[event]])
  for (x in extra) keep <- keep & !is.na(d[[x]])
  d[keep, ]
}

km_table <- function(fit) {
  s <- summary(fit, censored = TRUE)
  list(time = s$time, n_risk = s$n.risk, n_event = s$n.event, survival = s$surv,
       std_err = s$std.err, lower = s$lower, upper = s$upper)
}

split_case <- function(name, file, time, event, marker, split = "median", cutoff = NA) {
  d <- clean(rd(file), time, event, marker)
  x <- d[[marker]]
  cut <- switch(split, median = median(x), mean = mean(x), value = cutoff,
                q75 = unname(quantile(x, 0.75)))
  d$high <- as.numeric(x > cut)
  f <- as.formula(sprintf("Surv(%s, %s) ~ high", time, event))
  sd <- survdiff(f, data = d)
  cx <- coxph(f, data = d)
  sc <- summary(cx)
  km_hi <- survfit(as.formula(sprintf("Surv(%s, %s) ~ 1", time, event)), data = d[d$high == 1, ])
  km_lo <- survfit(as.formula(sprintf("Surv(%s, %s) ~ 1", time, event)), data = d[d$high == 0, ])
  km_ll <- survfit(as.formula(sprintf("Surv(%s, %s) ~ 1", time, event)), data = d[d$high == 1, ],
                   conf.type = "log-log")
  list(name = name, file = file, time = time, event = event, marker = marker, split = split,
       cutoff_arg = cutoff, n_used = nrow(d), cut = cut,
       n_high = sum(d$high == 1), n_low = sum(d$high == 0),
       logrank_chi2 = sd$chisq, logrank_p = pchisq(sd$chisq, 1, lower.tail = FALSE),
       coef = unname(coef(cx)), hazard_ratio = unname(exp(coef(cx))),
       hr_ci = unname(sc$conf.int[1, 3:4]), cox_p = unname(sc$coefficients[1, 5]),
       concordance = unname(sc$concordance[1]),
       km_high = km_table(km_hi), km_low = km_table(km_lo), km_high_loglog = km_table(km_ll))
}

cox_case <- function(name, file, time, event, covariates, factors = character()) {
  d <- clean(rd(file), time, event, covariates)
  for (f in factors) d[[f]] <- factor(d[[f]])
  f <- as.formula(sprintf("Surv(%s, %s) ~ %s", time, event, paste(covariates, collapse = " + ")))
  cx <- coxph(f, data = d)
  sc <- summary(cx)
  zph <- tryCatch(cox.zph(cx, transform = "km"), error = function(e) NULL)
  list(name = name, file = file, time = time, event = event, covariates = covariates,
       factors = factors, n = cx$n, n_events = cx$nevent, terms = names(coef(cx)),
       coef = unname(coef(cx)), se = unname(sqrt(diag(vcov(cx)))),
       p = unname(sc$coefficients[, 5]), hr_lower = unname(sc$conf.int[, 3]),
       hr_upper = unname(sc$conf.int[, 4]), concordance = unname(sc$concordance[1]),
       loglik = cx$loglik, lr_chi2 = unname(sc$logtest[1]),
       zph_chisq = if (is.null(zph)) NULL else unname(zph$table[, 1]),
       zph_p = if (is.null(zph)) NULL else unname(zph$table[, 3]))
}

maxstat_case <- function(name, file, time, event, marker) {
  if (!has_maxstat) return(NULL)
  d <- clean(rd(file), time, event, marker)
  f <- as.formula(sprintf("Surv(%s, %s) ~ %s", time, event, marker))
  m <- maxstat::maxstat.test(f, data = d, smethod = "LogRank", pmethod = "Lau92",
                             minprop = 0.1, maxprop = 0.9)
  list(name = name, file = file, time = time, event = event, marker = marker,
       statistic = unname(m$statistic), estimate = unname(m$estimate), p = unname(m$p.value),
       cuts = unname(m$cuts), stats = unname(m$stats))
}

surv <- list(
  split = list(
    split_case("synth_median", "surv_synth.csv", "time", "event", "marker"),
    split_case("synth_mean", "surv_synth.csv", "time", "event", "marker", "mean"),
    split_case("synth_q75", "surv_synth.csv", "time", "event", "marker", "q75"),
    split_case("lung_age_median", "surv_lung.csv", "time", "status", "age"),
    split_case("lung_wtloss_median", "surv_lung.csv", "time", "status", "wt.loss"),
    split_case("lihc_mir21_median", "surv_tcga_lihc.csv", "os_days", "os_event", "mir21"),
    split_case("lihc_mir124_detected", "surv_tcga_lihc.csv", "os_days", "os_event", "mir124",
               "value", 0),
    split_case("gbm_mir124_median", "surv_tcga_gbm.csv", "time", "status", "mir124")
  ),
  cox = list(
    cox_case("synth_multi", "surv_synth.csv", "time", "event",
             c("marker", "age", "sex", "stage"), "stage"),
    cox_case("synth_uni_marker", "surv_synth.csv", "time", "event", c("marker")),
    cox_case("lung_multi", "surv_lung.csv", "time", "status", c("age", "sex", "ph.ecog")),
    cox_case("lihc_multi", "surv_tcga_lihc.csv", "os_days", "os_event",
             c("mir21", "age_years", "gender"), "gender"),
    cox_case("gbm_multi", "surv_tcga_gbm.csv", "time", "status", c("mir124", "mir21"))
  ),
  maxstat = Filter(Negate(is.null), list(
    maxstat_case("synth", "surv_synth.csv", "time", "event", "marker"),
    maxstat_case("lung_age", "surv_lung.csv", "time", "status", "age"),
    maxstat_case("gbm_mir124", "surv_tcga_gbm.csv", "time", "status", "mir124")
  )),
  versions = list(R = R.version.string, survival = as.character(packageVersion("survival")),
                  maxstat = if (has_maxstat) as.character(packageVersion("maxstat")) else NULL)
)
write_json(surv, file.path(dir, "ref_survival.json"), digits = NA, auto_unbox = TRUE,
           pretty = TRUE)

# ---- ROC ---------------------------------------------------------------------------------
roc_case <- function(name, file, label, marker, positive, negative, boot = TRUE) {
  d <- rd(file)
  d <- d[!is.na(d[[marker]]) & !is.na(d[[label]]) & d[[label]] %in% c(positive, negative), ]
  r <- roc(d[[label]], d[[marker]], levels = c(negative, positive), direction = "auto",
           quiet = TRUE)
  ci <- ci.auc(r, method = "delong")
  best <- coords(r, "best", best.method = "youden", ret = c("threshold", "sensitivity",
                                                             "specificity"), transpose = FALSE)
  npos <- length(r$cases); nneg <- length(r$controls)
  tp <- round(best$sensitivity[1] * npos); tn <- round(best$specificity[1] * nneg)
  set.seed(1)
  bci <- if (boot) as.numeric(ci.auc(r, method = "bootstrap", boot.n = 2000, progress = "none"))
         else NULL
  set.seed(2)
  cc <- if (boot) ci.coords(r, x = "best", input = "threshold", ret = c("sensitivity", "specificity"),
                            best.method = "youden", best.policy = "random", boot.n = 2000,
                            progress = "none")
        else NULL
  list(name = name, file = file, label = label, marker = marker, positive = positive,
       negative = negative, direction = r$direction, auc = as.numeric(r$auc),
       auc_ci = as.numeric(ci)[c(1, 3)], auc_var = var(r, method = "delong"),
       best_threshold = best$threshold, best_sensitivity = best$sensitivity,
       best_specificity = best$specificity, n_pos = npos, n_neg = nneg,
       sens_ci = as.numeric(binom.test(tp, npos)$conf.int),
       spec_ci = as.numeric(binom.test(tn, nneg)$conf.int),
       boot_ci = if (is.null(bci)) NULL else bci[c(1, 3)],
       boot_sens_ci = if (is.null(cc)) NULL else as.numeric(cc$sensitivity[1, c(1, 3)]),
       boot_spec_ci = if (is.null(cc)) NULL else as.numeric(cc$specificity[1, c(1, 3)]))
}

delong_case <- function(name, file, label, m1, m2, positive, negative) {
  d <- rd(file)
  d <- d[!is.na(d[[m1]]) & !is.na(d[[m2]]) & d[[label]] %in% c(positive, negative), ]
  r1 <- roc(d[[label]], d[[m1]], levels = c(negative, positive), direction = "auto", quiet = TRUE)
  r2 <- roc(d[[label]], d[[m2]], levels = c(negative, positive), direction = "auto", quiet = TRUE)
  t <- roc.test(r1, r2, method = "delong", paired = TRUE)
  list(name = name, file = file, label = label, marker1 = m1, marker2 = m2, positive = positive,
       negative = negative, auc1 = as.numeric(r1$auc), auc2 = as.numeric(r2$auc),
       z = unname(t$statistic), p = t$p.value, direction1 = r1$direction,
       direction2 = r2$direction)
}

rocs <- list(
  roc = list(
    roc_case("synth_t_vs_h", "roc_synth.csv", "group", "mir124", "tumour", "healthy"),
    roc_case("synth_t_vs_b", "roc_synth.csv", "group", "mir124", "tumour", "benign"),
    roc_case("synth_b_vs_h", "roc_synth.csv", "group", "mir124", "benign", "healthy"),
    roc_case("synth_mir21_t_vs_h", "roc_synth.csv", "group", "mir21", "tumour", "healthy"),
    roc_case("stad_mir124", "roc_tcga_stad.csv", "tissue", "mir124", "tumour", "normal"),
    roc_case("stad_mir21", "roc_tcga_stad.csv", "tissue", "mir21", "tumour", "normal"),
    roc_case("asah_s100b", "roc_asah.csv", "outcome", "s100b", "Poor", "Good"),
    roc_case("asah_ndka", "roc_asah.csv", "outcome", "ndka", "Poor", "Good"),
    roc_case("asah_wfns", "roc_asah.csv", "outcome", "wfns", "Poor", "Good", boot = FALSE)
  ),
  delong = list(
    delong_case("synth", "roc_synth.csv", "group", "mir124", "mir21", "tumour", "healthy"),
    delong_case("stad", "roc_tcga_stad.csv", "tissue", "mir124", "mir21", "tumour", "normal"),
    delong_case("asah", "roc_asah.csv", "outcome", "s100b", "ndka", "Poor", "Good")
  ),
  versions = list(pROC = as.character(packageVersion("pROC")))
)
write_json(rocs, file.path(dir, "ref_roc.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)

# ---- RT-qPCR tests -----------------------------------------------------------------------
q <- rd("qpcr_long.csv")
m <- aggregate(ct ~ sample + patient + group + target, data = q, FUN = mean)
refs <- m[m$target %in% c("U6", "RNU48"), ]
refmean <- aggregate(ct ~ sample, data = refs, FUN = mean)  # mean Ct = log of geometric mean
names(refmean)[2] <- "ref_ct"
m <- merge(m[!m$target %in% c("U6", "RNU48"), ], refmean, by = "sample")
m$dct <- round(m$ct - m$ref_ct, 10)  # as mirscope: float noise must not break ties
targets <- sort(unique(m$target))
qres <- lapply(targets, function(tg) {
  s <- m[m$target == tg, ]
  tu <- s[s$group == "tumour", ]; no <- s[s$group == "normal", ]
  tu <- tu[order(tu$patient), ]; no <- no[order(no$patient), ]
  tt <- t.test(tu$dct, no$dct, paired = TRUE)
  wt <- wilcox.test(tu$dct, no$dct, paired = TRUE)
  mw <- wilcox.test(tu$dct, no$dct, paired = FALSE)
  welch <- t.test(tu$dct, no$dct, paired = FALSE)
  ddct <- tu$dct - no$dct
  list(target = tg, mean_ddct = mean(ddct), fold_change_mean = mean(2^-ddct),
       fold_change_of_mean = 2^-mean(ddct),
       paired_t = unname(tt$statistic), paired_t_p = tt$p.value,
       wilcoxon_v = unname(wt$statistic), wilcoxon_p = wt$p.value,
       mw_w = unname(mw$statistic), mw_p = mw$p.value,
       welch_t = unname(welch$statistic), welch_p = welch$p.value,
       dct_tumour = tu$dct, dct_normal = no$dct, patients = tu$patient)
})
names(qres) <- targets
pt <- sapply(qres, function(x) x$paired_t_p)
fisher_tables <- list(c(6, 4, 2, 2, 4, 6), c(1, 0, 5, 3, 4, 6, 1, 2), c(2, 28, 3, 26),
                      c(0, 3, 9, 1, 7, 2, 4, 0, 1, 5))
fisher <- lapply(fisher_tables, function(v) {
  m <- matrix(v, nrow = 2, byrow = TRUE)
  list(table = v, ncol = ncol(m), p = fisher.test(m)$p.value,
       chisq_p = suppressWarnings(chisq.test(m)$p.value))
})
qref <- list(targets = qres, bh_paired_t = as.list(p.adjust(pt, method = "BH")), fisher = fisher)
write_json(qref, file.path(dir, "ref_tests.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
cat("wrote ref_survival.json, ref_roc.json, ref_tests.json to", dir, "\n")
