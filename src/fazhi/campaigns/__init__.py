"""Creation campaigns: applications, evidence, recommendation, review, results, notice, naming, designations."""
