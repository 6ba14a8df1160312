using LLMML.Sweeps.SearchSpaces;
using Microsoft.ML;

namespace LLMML.Sweeps.Trials;

/// <summary>
/// A trial that is an ML.NET pipeline: builds the estimator for the trial's parameters, fits it on the training view,
/// scores the validation view, evaluates it (an ML.NET evaluator or any metric delegate) and disposes the transformer.
/// </summary>
public sealed class PipelineTrialRunner(
    Func<Parameter, IEstimator<ITransformer>> pipeline,
    IDataView train,
    IDataView validation,
    Func<IDataView, TrialMetrics> evaluate) : ITrialRunner
{
    /// <inheritdoc />
    public TrialMetrics Run(TrialContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var model = pipeline(context.Parameter).Fit(train);
        try
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            return evaluate(model.Transform(validation));
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    /// <summary>Fits the pipeline for <paramref name="parameter"/> (the best trial's, usually) on <paramref name="data"/>.</summary>
    public ITransformer Refit(Parameter parameter, IDataView? data = null) => pipeline(parameter).Fit(data ?? train);
}
