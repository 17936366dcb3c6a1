# Reference numbers of the pan-cancer atlas (mirscope.clinical.atlas), computed with R.
#
#   Rscript tests/clinical/r/atlas_references.R
#
# Reads the miRNAs of tests/data/atlas/cases.json (mature name -> TCGA precursor columns), the 18
# compact cohorts shipped in src/mirscope/data/tcga (counts + clinical; RPM = count / sample
# total * 1e6) and the full-layout cohorts of tests/data/atlas/cohorts (RPM read from
# {COHORT}.mirna_rpm.csv.gz), and writes tests/data/atlas/ref_atlas.json. Every miRNA is
# tested in every cohort (no "not detected" rule here), so the comparison covers
# zero-heavy levels, ties and the exact small-sample Wilcoxon. The tests need no R.
#
# Definitions (as in the atlas): level = sum of precursor RPM, x = log2(level + 1);
# first sample per patient and type by barcode (C-locale order); paired = patients with
# type 01 and 11; survival = type 01 tumours joined to clinical, time > 0, non-missing event.
suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})
# TCGA column names of each miRNA's precursors: mostly the miRBase v22 names, older names for
# precursors miRBase renamed after 2015 (hsa-mir-451 for hsa-mir-451a, hsa-mir-486 for
# hsa-mir-486-1/-2); listed by mirscope.clinical.atlas.tcga_precursor_aliases and checked by
# hand against miRBase's renaming (test_tcga_precursor_aliases pins them)
cases <- fromJSON("tests/data/atlas/cases.json")$tcga_columns

read_gz <- function(path) {
  read.csv(gzfile(path), check.names = FALSE, stringsAsFactors = FALSE,
           colClasses = c(sample_barcode = "character", patient_barcode = "character"))
}

load_cohort <- function(dir, cohort) {
  rp <- file.path(dir, paste0(cohort, ".mirna_rpm.csv.gz"))
  cp <- file.path(dir, paste0(cohort, ".mirna_counts.csv.gz"))
  counts <- read_gz(cp)
  meta <- c("sample_barcode", "patient_barcode", "sample_type")
  k <- as.matrix(counts[, setdiff(names(counts), meta)])
  if (file.exists(rp)) {
    r <- read_gz(rp)
    stopifnot(identical(r$sample_barcode, counts$sample_barcode))
    rpm <- as.matrix(r[, setdiff(names(r), meta)])
  } else {
    rpm <- k / rowSums(k) * 1e6
  }
  clin <- read.csv(gzfile(file.path(dir, paste0(cohort, ".clinical.csv.gz"))), stringsAsFactors = FALSE)
  list(meta = counts[, meta], rpm = rpm, counts = k, clin = clin)
}

first_of <- function(meta, code) {
  s <- meta[meta$sample_type == code, ]
  s <- s[order(s$sample_barcode, method = "radix"), ]
  s[!duplicated(s$patient_barcode), ]
}

num <- function(v) if (is.null(v) || length(v) == 0 || is.na(v)) NA else unname(v)

one <- function(co, source, cohort, mirna, pre) {
  pre <- pre[pre %in% colnames(co$rpm)]
  if (!length(pre)) return(NULL)
  level <- Reduce(`+`, lapply(pre, function(p) co$rpm[, p]))
  x <- log2(level + 1)
  zero <- rowSums(co$counts[, pre, drop = FALSE]) == 0
  idx <- setNames(seq_len(nrow(co$meta)), co$meta$sample_barcode)
  tum <- first_of(co$meta, 1)
  nor <- first_of(co$meta, 11)
  both <- merge(tum, nor, by = "patient_barcode", suffixes = c("_t", "_n"))
  out <- list(source = source, cohort = cohort, mirna = mirna,
              n_tumours = sum(co$meta$sample_type == 1),
              zero_fraction = mean(zero[co$meta$sample_type == 1]),
              n_paired = nrow(both))
  if (nrow(both) > 0) {
    xt <- x[idx[both$sample_barcode_t]]
    xn <- x[idx[both$sample_barcode_n]]
    out$log2fc <- mean(xt - xn)
    out$wilcoxon_p <- num(tryCatch(suppressWarnings(wilcox.test(xt, xn, paired = TRUE)$p.value),
                                   error = function(e) NA))
    if (nrow(both) > 1) {
      tt <- t.test(xt, xn, paired = TRUE)
      out$log2fc_lower <- tt$conf.int[1]
      out$log2fc_upper <- tt$conf.int[2]
    }
  }
  d <- merge(tum, co$clin, by = "patient_barcode")
  d <- d[!is.na(d$os_days) & !is.na(d$os_event) & d$os_days > 0, ]
  d$x <- x[idx[d$sample_barcode]]
  out$n_survival <- nrow(d)
  out$events <- sum(d$os_event)
  if (out$events > 0 && length(unique(d$x)) > 1) {
    fit <- suppressWarnings(coxph(Surv(os_days, os_event) ~ x, data = d))
    s <- summary(fit)$coefficients
    out$cox_hr <- num(s[1, "exp(coef)"])
    out$cox_se <- num(s[1, "se(coef)"])
    out$cox_p <- num(s[1, "Pr(>|z|)"])
    d$high <- as.integer(d$x > median(d$x))
    if (length(unique(d$high)) == 2) {
      sd <- survdiff(Surv(os_days, os_event) ~ high, data = d)
      out$logrank_chi2 <- sd$chisq
      out$logrank_p <- pchisq(sd$chisq, 1, lower.tail = FALSE)
    }
  }
  out
}

rows <- list()
sources <- list(shipped = "src/mirscope/data/tcga", layout = "tests/data/atlas/cohorts",
                synthetic = "tests/data/atlas/synthetic")
for (src in names(sources)) {
  dir <- sources[[src]]
  files <- list.files(dir, pattern = "\\.clinical\\.csv\\.gz$")
  for (cohort in sort(sub("\\.clinical\\.csv\\.gz$", "", files))) {
    co <- load_cohort(dir, cohort)
    for (m in names(cases)) {
      r <- one(co, src, cohort, m, cases[[m]])
      if (!is.null(r)) rows[[length(rows) + 1]] <- r
    }
  }
}
meta <- list(R = R.version.string, survival = as.character(packageVersion("survival")),
             generated_by = "tests/clinical/r/atlas_references.R")
writeLines(toJSON(list(meta = meta, rows = rows), auto_unbox = TRUE, digits = NA, na = "null"),
           "tests/data/atlas/ref_atlas.json")
cat("wrote", length(rows), "rows\n")
