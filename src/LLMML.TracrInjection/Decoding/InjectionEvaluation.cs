using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Tasks;
using LLMML.TracrInjection.Alignment;
using LLMML.TracrInjection.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.TracrInjection.Decoding;

/// <summary>One point of the causality curve: accuracy with noise of a norm inside the variable's span and inside a random span of equal rank.</summary>
public sealed record CausalityPoint(double Norm, double VariableSpanAccuracy, double RandomSpanAccuracy);

/// <summary>The measurements of an injection experiment: greedy exact match, held-out perplexity, the causality curve.</summary>
public static class InjectionEvaluation
{
    /// <summary>Greedy exact match (first word of the completion against the answer), <paramref name="batchSize"/> prompts per call.</summary>
    public static double ExactMatch(LanguageModel model, IReadOnlyList<TaskExample> rows, int maxNewTokens, int batchSize = 32, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return double.NaN;
        var correct = 0;
        foreach (var chunk in rows.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var generated = model.Generate(chunk.Select(r => r.Prompt).ToArray(), new GenerationOptions { MaxNewTokens = maxNewTokens, StopStrings = ["\n"] }, cancellationToken);
            for (var i = 0; i < chunk.Length; i++)
                if (AnswerMatching.IsExactMatch(generated[i], chunk[i].Answer)) correct++;
        }
        return (double)correct / rows.Count;
    }

    /// <summary>Mean log-likelihood (nats) of " " + answer + "\n" after each prompt: the zero-shot table's third number, cheap to compare before and after.</summary>
    public static double MeanAnswerLogLikelihood(LanguageModel model, IReadOnlyList<TaskExample> rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (rows.Count == 0) return double.NaN;
        var scores = model.ContinuationLogProbabilities(rows.Select(r => (r.Prompt, TaskFormat.Continuation(r.Answer) + "\n")).ToArray());
        return scores.Average(s => s.Sum(v => (double)v));
    }

    /// <summary>Mean L2 norm of h_<paramref name="layer"/> over the prompts' tokens: the scale the causality noise norms compare with.</summary>
    public static double MeanResidualNorm(LanguageModel model, IReadOnlyList<TaskExample> rows, int layer)
    {
        ArgumentNullException.ThrowIfNull(model);
        double sum = 0;
        long count = 0;
        foreach (var row in rows)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var ids = model.Encode(row.Prompt).Select(i => (long)i).ToArray();
            var (_, residuals) = LanguageModels.Hooks.ResidualRecorder.RecordResiduals(model.Model, tensor(ids, [1, ids.Length], device: model.Device));
            sum += residuals[layer].norm(-1).sum().item<float>();
            count += ids.Length;
            foreach (var r in residuals) r.Dispose();
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>Per-token perplexity of natural text (each text scored from its second token on).</summary>
    public static double Perplexity(LanguageModel model, IReadOnlyList<string> texts, int batchSize = 16)
    {
        ArgumentNullException.ThrowIfNull(model);
        double nll = 0;
        long tokens = 0;
        foreach (var chunk in texts.Select(model.Encode).Where(ids => ids.Count >= 2).Select(ids => ids.ToArray()).Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (ids, mask) = TaskBatch.Pad(chunk, model.PadId, model.Device);
            var logits = model.Model.forward(ids, mask, null);
            var logp = nn.functional.log_softmax(logits.narrow(1, 0, ids.shape[1] - 1), -1).gather(-1, ids.narrow(1, 1, ids.shape[1] - 1).unsqueeze(-1)).squeeze(-1);
            var m = mask.narrow(1, 1, ids.shape[1] - 1).to_type(ScalarType.Float32);
            nll -= (logp * m).sum().item<float>();
            tokens += (long)m.sum().item<float>();
        }
        return tokens == 0 ? double.NaN : Math.Exp(nll / tokens);
    }

    /// <summary>
    /// Accuracy under Gaussian noise of each norm added after block <paramref name="layer"/>, inside the span the adapter reads
    /// the output variable from and inside a random orthonormal span of the same rank.
    /// </summary>
    public static IReadOnlyList<CausalityPoint> Causality(LanguageModel model, Linear adapter, int start, int count, int layer, IReadOnlyList<TaskExample> rows,
        IReadOnlyList<double> norms, int maxNewTokens, long seed, CancellationToken cancellationToken = default)
    {
        using var span = CausalityProbe.VariableSpan(adapter.weight!, start, count);
        using var control = CausalityProbe.RandomSpan(span.shape[0], span.shape[1], seed);
        var points = new List<CausalityPoint>();
        foreach (var norm in norms)
        {
            double Run(Tensor basis)
            {
                using var noise = CausalityProbe.AddNoise(model.Model, layer, basis, norm, seed);
                return ExactMatch(model, rows, maxNewTokens, cancellationToken: cancellationToken);
            }
            points.Add(new CausalityPoint(norm, Run(span), Run(control)));
        }
        return points;
    }

    /// <summary>Decodes the teacher-forced rows (prompt + answer) at layer L and scores every variable against the interpreter's trace of <paramref name="program"/>.</summary>
    public static IReadOnlyList<VariableAccuracy> DecodingAccuracy(LanguageModel model, Linear adapter, Rasp.Torch.CompiledModelConfig layout, Rasp.Language.SOp program,
        AlignmentSpec alignment, IReadOnlyList<TaskExample> rows, string terminator)
    {
        var sequences = InjectionData.Align(model, alignment, rows, terminator);
        var decoded = VariableDecoder.Decode(model, adapter, layout, sequences, layout.Layers);
        return VariableDecoder.Accuracy(decoded, program, layout);
    }
}
