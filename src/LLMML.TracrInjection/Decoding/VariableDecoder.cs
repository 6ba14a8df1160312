using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Language;
using LLMML.Rasp.Torch;
using LLMML.TracrInjection.Alignment;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.TracrInjection.Decoding;

/// <summary>The RASP variables read out of one row's LM residual stream: variable → value at every LM position.</summary>
/// <param name="Tokens">The LM tokens' texts.</param>
/// <param name="CompiledInput">The aligned compiled token at every position.</param>
/// <param name="Variables">Variable name → decoded value per position (argmax inside the variable's dimensions of A(h_L)).</param>
public sealed record DecodedRow(IReadOnlyList<string> Tokens, IReadOnlyList<RaspValue> CompiledInput, IReadOnlyDictionary<string, RaspValue[]> Variables);

/// <summary>Per-variable decoding accuracy against the interpreter's trace.</summary>
/// <param name="Variable">Name.</param>
/// <param name="Correct">Positions whose decoded value equals the trace's.</param>
/// <param name="Total">Positions where the trace holds a value (None is not decodable by an argmax).</param>
public sealed record VariableAccuracy(string Variable, long Correct, long Total)
{
    public double Accuracy => Total == 0 ? double.NaN : (double)Correct / Total;
}

/// <summary>Reads a compiled program's variables from an injected LM: A(h_L), then argmax within each categorical variable's dimensions.</summary>
public static class VariableDecoder
{
    /// <summary>Suffix of the accuracy entry that scores the output variable at its non-filler (answer) positions only.</summary>
    public const string AnswerPositionsSuffix = "@answer";

    /// <summary>Decodes the adapter's image of h_<paramref name="layer"/> for each aligned sequence.</summary>
    public static IReadOnlyList<DecodedRow> Decode(LanguageModel model, Linear adapter, CompiledModelConfig config, IReadOnlyList<AlignedSequence> sequences, int layer,
        int batchSize = 16)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(sequences);
        if (layer < 0 || layer > model.Config.NumLayers)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The LM has residual layers 0…{model.Config.NumLayers}.");
        var rows = new List<DecodedRow>(sequences.Count);
        foreach (var chunk in sequences.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var t = chunk.Max(s => s.TokenIds.Length);
            var ids = new long[chunk.Length * t];
            var mask = new long[chunk.Length * t];
            for (var b = 0; b < chunk.Length; b++)
                for (var i = 0; i < chunk[b].TokenIds.Length; i++)
                {
                    ids[b * t + i] = chunk[b].TokenIds[i];
                    mask[b * t + i] = 1;
                }
            for (var k = 0; k < ids.Length; k++) if (mask[k] == 0) ids[k] = model.PadId;
            var (_, residuals) = ResidualRecorder.RecordResiduals(model.Model, tensor(ids, [chunk.Length, t], device: model.Device),
                tensor(mask, [chunk.Length, t], device: model.Device));
            try
            {
                var mapped = adapter.call(residuals[layer]).cpu();                                           // [B, T, d_c]
                var values = DecodeAll(mapped, config, chunk.Select(s => s.TokenIds.Length).ToArray());
                for (var b = 0; b < chunk.Length; b++)
                    rows.Add(new DecodedRow(chunk[b].TokenIds.Select(id => model.Decode([id])).ToArray(), chunk[b].CompiledInput,
                        values.ToDictionary(kv => kv.Key, kv => kv.Value[b])));
            }
            finally
            {
                foreach (var r in residuals) r.Dispose();
            }
        }
        return rows;
    }

    /// <summary>Argmax decoding of every variable of a stream [B, T, d_c] whose position 0 is input token 0 (no BOS).</summary>
    public static Dictionary<string, RaspValue[][]> DecodeAll(Tensor stream, CompiledModelConfig config, IReadOnlyList<int> lengths)
    {
        using var data = stream.to(float32).cpu().contiguous();
        var values = data.data<float>().ToArray();
        long t = stream.shape[1], d = stream.shape[2];
        var result = new Dictionary<string, RaspValue[][]>(StringComparer.Ordinal);
        foreach (var v in config.Variables)
        {
            var rows = new RaspValue[lengths.Count][];
            for (var b = 0; b < lengths.Count; b++)
            {
                rows[b] = new RaspValue[lengths[b]];
                for (var p = 0; p < lengths[b]; p++)
                {
                    var at = (b * t + p) * d + v.Start;
                    if (v.Encoding == RaspEncoding.Numerical)
                    {
                        rows[b][p] = Math.Round(values[at], 3);
                        continue;
                    }
                    var best = 0;
                    for (var k = 1; k < v.Count; k++) if (values[at + k] > values[at + best]) best = k;
                    rows[b][p] = v.Values[best];
                }
            }
            result[v.Name] = rows;
        }
        return result;
    }

    /// <summary>
    /// Accuracy of each variable's decoding against the evaluator's trace of <paramref name="program"/> on the same
    /// compiled inputs (positions where the trace is None are not counted).
    /// </summary>
    /// <remarks>One more entry, named output + <see cref="AnswerPositionsSuffix"/>, scores the output only where it is not <paramref name="filler"/>.</remarks>
    public static IReadOnlyList<VariableAccuracy> Accuracy(IReadOnlyList<DecodedRow> decoded, SOp program, CompiledModelConfig config, string filler = "_")
    {
        ArgumentNullException.ThrowIfNull(decoded);
        ArgumentNullException.ThrowIfNull(program);
        var correct = new Dictionary<string, long>();
        var total = new Dictionary<string, long>();
        long answerCorrect = 0, answerTotal = 0;
        foreach (var row in decoded)
        {
            var trace = RaspEvaluator.Trace(program, row.CompiledInput, causal: true).ToDictionary(kv => kv.Key.Label, kv => kv.Value);
            foreach (var v in config.Variables)
            {
                if (v.Encoding != RaspEncoding.Categorical || !trace.TryGetValue(v.Name, out var expected) || !row.Variables.TryGetValue(v.Name, out var got)) continue;
                for (var p = 0; p < expected.Length; p++)
                {
                    if (expected[p].IsNone) continue;
                    total[v.Name] = total.GetValueOrDefault(v.Name) + 1;
                    if (got[p] == expected[p]) correct[v.Name] = correct.GetValueOrDefault(v.Name) + 1;
                    if (v.Name == config.Output && expected[p] != filler)
                    {
                        answerTotal++;
                        if (got[p] == expected[p]) answerCorrect++;
                    }
                }
            }
        }
        var result = config.Variables.Where(v => total.ContainsKey(v.Name))
            .Select(v => new VariableAccuracy(v.Name, correct.GetValueOrDefault(v.Name), total[v.Name])).ToList();
        // The output is the filler at most positions; its accuracy where it holds an answer is the telling number.
        if (answerTotal > 0) result.Add(new VariableAccuracy(config.Output + AnswerPositionsSuffix, answerCorrect, answerTotal));
        return result;
    }
}
