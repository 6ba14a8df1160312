using LLMML.LanguageModels.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Hooks;

/// <summary>
/// Records what chosen projections read and write on each forward pass while it is alive (forward hooks on the
/// projection modules). <see cref="Input"/> is a detached copy-free handle on the projection's input; with
/// <c>recordOutputs</c>, <see cref="Output"/> is the output tensor inside the autograd graph, so
/// <c>torch.autograd.grad(loss, [Output(id)])</c> gives ∂loss/∂y at that projection — what attribution patching needs.
/// Each forward pass replaces the previous pass's records; the recorder owns them and disposes them on
/// <see cref="Clear"/>, on the next pass and on <see cref="Dispose"/> (which also removes the hooks).
/// </summary>
public sealed class ProjectionRecorder : IDisposable
{
    private readonly Dictionary<ProjectionId, Tensor> _inputs = [];
    private readonly Dictionary<ProjectionId, Tensor> _outputs = [];
    private readonly List<Action> _removeHooks = [];

    /// <param name="model">The model to watch.</param>
    /// <param name="projections">Which projections.</param>
    /// <param name="recordOutputs">Also keep each output's graph node. The module then returns a view of its output,
    /// so the recorded node's only consumer is that view and its gradient is the full downstream gradient.</param>
    public ProjectionRecorder(CausalLanguageModel model, IEnumerable<ProjectionId> projections, bool recordOutputs = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(projections);
        foreach (var id in projections.Distinct())
        {
            var module = ModelWeights.Projection(model, id.Layer, id.Kind);
            var hook = module.register_forward_hook((_, x, y) =>
            {
                Replace(_inputs, id, x.detach().DetachFromDisposeScope());
                if (!recordOutputs) return null!;
                // The caller may dispose y or move it between scopes; we keep y itself and hand back a view. With every
                // parameter frozen nothing upstream tracks gradients, so y becomes the leaf they are taken at.
                if (!y.requires_grad && is_grad_enabled()) y.requires_grad_();
                Replace(_outputs, id, y.DetachFromDisposeScope());
                return y.view(y.shape);
            });
            _removeHooks.Add(() => hook.remove());
        }
        if (_removeHooks.Count == 0) throw new ArgumentException("Name at least one projection to record.", nameof(projections));
    }

    /// <summary>[B, T, in]: what the projection read on the last forward pass (no gradient).</summary>
    public Tensor Input(ProjectionId id) => _inputs.TryGetValue(id, out var t) ? t
        : throw new InvalidOperationException($"No input of {id} was recorded: it is not watched, or no forward pass ran since the last Clear.");

    /// <summary>[B, T, out]: what the projection wrote on the last forward pass, as a node of that pass's graph.</summary>
    public Tensor Output(ProjectionId id) => _outputs.TryGetValue(id, out var t) ? t
        : throw new InvalidOperationException($"No output of {id} was recorded: outputs are not recorded, it is not watched, or no forward pass ran since the last Clear.");

    /// <summary>Disposes every record.</summary>
    public void Clear()
    {
        foreach (var t in _inputs.Values.Concat(_outputs.Values)) t.Dispose();
        _inputs.Clear();
        _outputs.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var remove in _removeHooks) remove();
        _removeHooks.Clear();
        Clear();
    }

    private static void Replace(Dictionary<ProjectionId, Tensor> records, ProjectionId id, Tensor value)
    {
        if (records.Remove(id, out var old)) old.Dispose();
        records[id] = value;
    }
}
