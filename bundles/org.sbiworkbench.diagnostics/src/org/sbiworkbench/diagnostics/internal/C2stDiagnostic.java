package org.sbiworkbench.diagnostics.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.sbiworkbench.core.BenchmarkTask;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.campaign.Seeds;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.sbiworkbench.diagnostics.C2st;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.diagnostics.DiagnosticContext;
import org.sbiworkbench.diagnostics.DiagnosticResult;
import org.sbiworkbench.nn.JavaKernels;
import org.sbiworkbench.nn.Kernels;

/**
 * C2ST of the posterior samples against a benchmark task's reference posterior: 0.5 when indistinguishable,
 * 1 when completely separable (sbibm's accuracy metric). The classifiers' matrix products run on an installed
 * {@link Kernels} service (ND4J's, as NPE training does) when there is one.
 */
@Component(service = Diagnostic.class)
public final class C2stDiagnostic implements Diagnostic {

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
	private volatile Kernels kernels;

	@Override
	public String id() {
		return "c2st";
	}

	@Override
	public String label() {
		return "C2ST against the reference posterior";
	}

	@Override
	public Optional<String> unavailableReason(DiagnosticContext context) {
		return context.simulator() instanceof BenchmarkTask ? Optional.empty()
				: Optional.of(context.simulator().descriptor().id() + " has no reference posterior (only benchmark tasks have one)");
	}

	@Override
	public DiagnosticResult run(DiagnosticContext context, ProgressMonitor monitor) {
		BenchmarkTask task = (BenchmarkTask) context.simulator();
		double[][] q = context.samples();
		double[][] reference = task.referencePosterior(context.observation()).sample(q.length, Seeds.forRow(context.seed(), -7));
		monitor.begin("C2ST against " + reference.length + " reference samples", 1);
		Kernels k = kernels;
		double accuracy = C2st.test(reference, q, C2st.Settings.sbibm(context.seed()), k != null ? k : new JavaKernels()).accuracy();
		monitor.done();
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("accuracy", accuracy);
		figures.put("samples", q.length);
		figures.put("kernels", k != null ? k.name() : "java");
		return new DiagnosticResult(id(), label(), String.format(java.util.Locale.ROOT, "C2ST %.3f (0.5 = indistinguishable from the reference)",
				accuracy), figures, List.of(), Map.of());
	}
}
