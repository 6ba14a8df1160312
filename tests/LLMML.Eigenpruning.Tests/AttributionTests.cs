using LLMML.Eigenpruning.Attribution;
using LLMML.Eigenpruning.Matrices;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Tests;

/// <summary>
/// The linear estimate against brute force on a tiny model: for each singular value, the exact change of the answer loss
/// when that one direction is intervened on in a real forward pass, next to what effect_i = s_i·(u_iᵀΔx)·(v_iᵀg) predicts.
/// </summary>
public class AttributionTests
{
    private static readonly WeightKind[] Kinds = [WeightKind.Query, WeightKind.Key, WeightKind.Value, WeightKind.Output, WeightKind.MlpIn, WeightKind.MlpOut];

    [Fact]
    public void PatchingEstimateAgreesWithExactPatching()
    {
        // Patching direction i from the clean to the corrupted example, at every position both rows hold a token.
        var (estimates, exact) = Compare(patch: true);
        TinyTask.Spearman(estimates, exact).Should().BeGreaterThan(0.9);
        SignAgreementOfLargest(estimates, exact).Should().Be(1.0);
    }

    [Fact]
    public void ZeroingEstimateAgreesWithZeroingEachSingularValue()
    {
        // The same estimate with Δx = −x is the first-order change when s_i is set to 0.
        var (estimates, exact) = Compare(patch: false);
        TinyTask.Spearman(estimates, exact).Should().BeGreaterThan(0.9);
        SignAgreementOfLargest(estimates, exact).Should().Be(1.0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DecompositionRebuildsEveryHeadsWeights(bool perHead)
    {
        using var lm = TinyTask.Model();
        foreach (var kind in Kinds)
        {
            var id = new ProjectionId(1, kind);
            using var d = ProjectionDecomposition.Compute(lm.Model, id, perHead);
            var heads = perHead ? ModelWeights.HeadCount(lm.Config, kind) : null;
            d.Heads.Should().Be(heads ?? 1);
            for (var h = 0; h < d.Heads; h++)
            {
                using var w = ModelWeights.Get(lm.Model, 1, kind, heads is null ? null : h);   // independent slicing
                using var rebuilt = d.U[h].matmul(diag(d.S[h])).matmul(d.V[h].t());
                rebuilt.to_type(ScalarType.Float32).allclose(w.Weight, 1e-5, 1e-5).Should().BeTrue($"{id} head {h}");
            }
            using var all = ones(d.Heads, d.Rank);
            using var whole = ModelWeights.Get(lm.Model, 1, kind);
            d.Part(all).to_type(ScalarType.Float32).allclose(whole.Weight, 1e-5, 1e-5).Should().BeTrue($"{id}: all parts sum to W");
        }
    }

    private static double SignAgreementOfLargest(IReadOnlyList<double> estimates, IReadOnlyList<double> exact)
    {
        var largest = Enumerable.Range(0, estimates.Count).OrderByDescending(i => Math.Abs(exact[i])).Take(estimates.Count / 10).ToArray();
        return largest.Count(i => Math.Sign(estimates[i]) == Math.Sign(exact[i])) / (double)largest.Length;
    }

    /// <summary>Linear estimates and exact loss changes for every singular value of every kind in layer 0 and 1, two example pairs.</summary>
    private static (List<double> Estimates, List<double> Exact) Compare(bool patch)
    {
        using var lm = TinyTask.Model(seed: 3, scale: 0.5);
        var examples = TinyTask.Examples(lm, 4, seed: 2);
        var estimates = new List<double>();
        var exact = new List<double>();
        foreach (var (clean, corrupt) in new[] { (0, 1), (2, 3) })
        {
            using var scope = NewDisposeScope();
            var batch = AnswerBatch.Create([examples[clean], examples[corrupt]], lm.PadId, lm.Config.MaxPositionEmbeddings, CPU);
            var valid = batch.AttentionMask[0].logical_and(batch.AttentionMask[1]).to_type(ScalarType.Float64);   // [W]
            foreach (var layer in new[] { 0, 1 })
                foreach (var kind in Kinds)
                {
                    var id = new ProjectionId(layer, kind);
                    using var d = ProjectionDecomposition.Compute(lm.Model, id, perHead: true);
                    Tensor effects, x;
                    using (var recorder = new ProjectionRecorder(lm.Model, [id], recordOutputs: true))
                    using (enable_grad())
                    {
                        var (e, _, _, _) = SingularValueAttribution.BatchEffects(lm, recorder, [d], batch, clean: 1);
                        x = recorder.Input(id).to_type(ScalarType.Float64).clone();                     // [2, W, in]
                        if (patch) effects = e[0];
                        else
                        {
                            var logits = lm.Model.forward(batch.InputIds, batch.AttentionMask, null);
                            var loss = -AnswerObjective.TokenLogProbabilities(logits, batch)[0].sum();
                            var g = autograd.grad([loss], [recorder.Output(id)])[0].narrow(0, 0, 1).to_type(ScalarType.Float64);
                            effects = SingularValueAttribution.Effects(d, -recorder.Input(id).narrow(0, 0, 1).to_type(ScalarType.Float64), g);
                        }
                    }
                    var summed = (effects[0] * valid.unsqueeze(-1).unsqueeze(-1)).sum([0]);               // [H, r] over positions
                    var baseLoss = Loss(lm, batch, null);
                    var dx = patch ? x[1] - x[0] : -x[0];                                               // [W, in]
                    for (var h = 0; h < d.Heads; h++)
                        for (var i = 0; i < d.Rank; i++)
                        {
                            // Δy = s_i·(u_iᵀ·Δx)·v_i at head h's output slice, at valid positions of the clean row only.
                            var coefficient = d.InputPerHead(dx)[.., h].matmul(d.U[h, .., i]) * d.S[h, i] * (patch ? valid : batch.AttentionMask[0].to_type(ScalarType.Float64));  // [W]
                            var delta = d.OutputPerHead(zeros(batch.Count, batch.InputIds.shape[1], d.OutputSize, dtype: ScalarType.Float64)).clone();
                            delta[0, .., h] = coefficient.unsqueeze(-1) * d.V[h, .., i];
                            // heads that split the output own a slice of it; heads that split the input all write the whole output
                            var add = (d.Axis == HeadAxis.Output ? delta.flatten(2) : delta.sum([2])).to_type(ScalarType.Float32);   // [2, W, out]
                            estimates.Add(summed[h, i].item<double>());
                            exact.Add(Loss(lm, batch, (id, add)) - baseLoss);
                        }
                }
        }
        return (estimates, exact);
    }

    /// <summary>Clean row's summed answer NLL, optionally with <c>add</c> added to one projection's output.</summary>
    private static double Loss(LanguageModel lm, AnswerBatch batch, (ProjectionId Id, Tensor Add)? intervention)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Action remove = () => { };
        if (intervention is { } iv)
        {
            var hook = ModelWeights.Projection(lm.Model, iv.Id.Layer, iv.Id.Kind).register_forward_hook((_, _, y) => y + iv.Add);
            remove = () => hook.remove();
        }
        try
        {
            var logits = lm.Model.forward(batch.InputIds, batch.AttentionMask, null);
            return -AnswerObjective.TokenLogProbabilities(logits, batch)[0].sum().item<float>();
        }
        finally
        {
            remove();
        }
    }
}
