// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using LLMML.LanguageModels.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Attribution;

/// <summary>
/// Each projection's input averaged over every real token of the training examples — the mean that mean ablation folds
/// into the bias. Accumulated over all batches and positions (the reference code took the last batch's, per position).
/// </summary>
internal sealed class MeanInputs : IDisposable
{
    private readonly Tensor[] _sums;
    private readonly IReadOnlyList<ProjectionId> _projections;
    private long _tokens;

    public MeanInputs(IReadOnlyList<ProjectionId> projections, IReadOnlyList<long> inputSizes, Device device)
    {
        this._projections = projections;
        _sums = inputSizes.Select(n => zeros(n, dtype: ScalarType.Float64, device: device)).ToArray();
    }

    /// <summary>Adds the recorded inputs of the first rows of a batch, at the tokens <paramref name="mask"/> marks.</summary>
    /// <param name="mask">[R, W] 1 = real token, for the first R rows of the recorded batch</param>
    public void Add(ProjectionRecorder recorder, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var weights = mask.to_type(ScalarType.Float64).unsqueeze(-1);                           // [R, W, 1]
        var rows = mask.shape[0];
        for (var k = 0; k < _projections.Count; k++)
            _sums[k].add_((recorder.Input(_projections[k]).narrow(0, 0, rows).to_type(ScalarType.Float64) * weights).sum(SingularValueAttribution.ExamplesAndPositions));
        _tokens += mask.sum().ToInt64();
    }

    /// <summary>The means so far, per projection.</summary>
    public double[][] Means()
    {
        var count = Math.Max(_tokens, 1);
        using var scope = NewDisposeScope();
        return _sums.Select(s => (s / count).cpu().data<double>().ToArray()).ToArray();
    }

    /// <summary>One forward pass per batch over <paramref name="examples"/> (no gradients), for methods that need only the means.</summary>
    public static double[][] Compute(LanguageModel model, IReadOnlyList<ProjectionId> projections, IReadOnlyList<PromptAnswerTokens> examples,
        int batchSize, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var sizes = projections.Select(p => ModelWeights.Get(model.Model, p.Layer, p.Kind)).Select(w => { using (w) return w.Weight.shape[0]; }).ToArray();
        using var means = new MeanInputs(projections, sizes, model.Device);
        using var recorder = new ProjectionRecorder(model.Model, projections);
        using var noGrad = no_grad();
        using var mode = ModuleMode.Evaluation(model.Model);
        for (var start = 0; start < examples.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, examples.Count - start);
            var batch = AnswerBatch.For(model, examples.Skip(start).Take(count).ToArray());
            model.Model.forward(batch.InputIds, batch.AttentionMask, null);
            means.Add(recorder, batch.AttentionMask);
            recorder.Clear();
            progress?.Report(new ProgressUpdate("mean inputs", start + count, examples.Count));
        }
        return means.Means();
    }

    public void Dispose()
    {
        foreach (var s in _sums) s.Dispose();
    }
}
