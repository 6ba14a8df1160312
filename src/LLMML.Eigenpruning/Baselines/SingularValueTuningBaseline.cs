using LLMML.Eigenpruning.Matrices;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Baselines;

/// <summary>
/// Trains only the singular values of eigenpruning's matrices (SVFT-diagonal style): W_h(δ) = U_h·diag(s_h ⊙ (1 + δ_h))·V_hᵀ
/// with U, V frozen and δ (initially 0) learned with the answer-only loss, then folded into the dense weights. Pruning
/// is the special case δ_i = −1, so this is what eigenpruning's search space reaches with gradients.
/// </summary>
public sealed class SingularValueTuningBaseline : IAdaptationBaseline
{
    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 300;

    /// <summary>Examples per step.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>AdamW learning rate for δ.</summary>
    public double LearningRate { get; init; } = 1e-2;

    /// <inheritdoc />
    public string Name => "svft-diag";

    /// <inheritdoc />
    public BaselineRun Adapt(LanguageModel model, BaselineContext context)
    {
        var options = context.Options;
        var ids = MatrixSelection.Resolve(model.Config, options.Matrices, options.Layers);
        var decompositions = ids.Select(id => ProjectionDecomposition.Compute(model.Model, id, options.PerHead)).ToArray();
        using var shifts = new RelativeShifts(decompositions);
        var hooks = new List<Action>();
        try
        {
            for (var k = 0; k < decompositions.Length; k++)
            {
                var index = k;
                var hook = ModelWeights.Projection(model.Model, ids[k].Layer, ids[k].Kind)
                    .register_forward_hook((_, x, y) => y + x.matmul(shifts.Update(index)).to_type(y.dtype));
                hooks.Add(() => hook.remove());
            }
            var result = AnswerFineTuning.Train(model, context.Train, LoraBaseline.Training(Steps, LearningRate, options.Seed, Name), BatchSize,
                trainable: shifts, progress: context.Progress, cancellationToken: context.CancellationToken);
            context.CancellationToken.ThrowIfCancellationRequested();
            foreach (var remove in hooks) remove();
            hooks.Clear();
            using (no_grad())
                for (var k = 0; k < decompositions.Length; k++)
                {
                    using var scope = NewDisposeScope();
                    using var weights = ModelWeights.Get(model.Model, ids[k].Layer, ids[k].Kind);
                    ModelWeights.Set(model.Model, ids[k].Layer, ids[k].Kind, null, weights.Weight + shifts.Update(k));
                }
            return new BaselineRun($"δ of {shifts.Count} singular values of {options.DescribeMatrices()}, {result.StepsCompleted} steps × {BatchSize}, lr {LearningRate}, final loss {result.FinalLoss:F3}", shifts.Count);
        }
        finally
        {
            foreach (var remove in hooks) remove();
            foreach (var d in decompositions) d.Dispose();
        }
    }

    /// <summary>One trainable δ [H, r] per decomposed projection, and the weight change it makes.</summary>
    private sealed class RelativeShifts : nn.Module
    {
        private readonly ProjectionDecomposition[] decompositions;
        private readonly Tensor[] u, sv;

        // [H, r] per projection, in selection order
        public ParameterList delta;

        public RelativeShifts(ProjectionDecomposition[] decompositions) : base(nameof(RelativeShifts))
        {
            this.decompositions = decompositions;
            using (NewDisposeScope())
            {
                u = decompositions.Select(d => d.U.to_type(ScalarType.Float32).MoveToOuterDisposeScope()).ToArray();
                // s_i·v_i, so the update is U·diag(δ)·(S·V)ᵀ
                sv = decompositions.Select(d => (d.V * d.S.unsqueeze(1)).to_type(ScalarType.Float32).MoveToOuterDisposeScope()).ToArray();
            }
            delta = new ParameterList(decompositions.Select(d => new Parameter(zeros(d.Heads, d.Rank, device: d.S.device))).ToArray());
            RegisterComponents();
        }

        public long Count => delta.Sum(p => p.numel());

        /// <summary>ΔW = Σ_i δ_i·s_i·u_i·v_iᵀ in the whole matrix's layout.</summary>
        /// <returns>[in, out] float32, differentiable in δ</returns>
        public Tensor Update(int k)
        {
            using var scope = NewDisposeScope();
            // (U·diag(δ))·(S·V)ᵀ per head as one batched matmul: [H, in_h, r] × [H, r, out_h]
            return decompositions[k].Assemble((u[k] * delta[k].unsqueeze(1)).bmm(sv[k].transpose(1, 2))).MoveToOuterDisposeScope();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                foreach (var t in u.Concat(sv)) t.Dispose();
            base.Dispose(disposing);
        }
    }
}
