using System.Reflection;
using System.Text.RegularExpressions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Adapters;

/// <summary>Applies, merges and unmerges <see cref="LoraLinear"/> adapters on any TorchSharp module tree.</summary>
public static class LoraAdapters
{
    /// <summary>
    /// Wraps every <see cref="Linear"/> whose full module name matches <see cref="LoraOptions.TargetPattern"/> in a
    /// <see cref="LoraLinear"/> and (by default) freezes everything else, so only adapter parameters require grad.
    /// The parent must hold the Linear in a field named like the registered submodule, typed
    /// <c>Module&lt;Tensor, Tensor&gt;</c> (as all projections of <see cref="Modeling.CausalLanguageModel"/> are).
    /// </summary>
    /// <returns>The adapters, by the wrapped module's full name.</returns>
    public static IReadOnlyDictionary<string, LoraLinear> Apply(nn.Module model, LoraOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var pattern = new Regex(options.TargetPattern, RegexOptions.CultureInvariant);
        var targets = model.named_modules()
            .Where(m => m.module is Linear && pattern.IsMatch(m.name) && !m.name.EndsWith(".base_layer", StringComparison.Ordinal))
            .Select(m => m.name)
            .ToList();
        if (targets.Count == 0)
            throw new ArgumentException($"No Linear module name matches LoRA target pattern '{options.TargetPattern}'.", nameof(options));

        if (options.FreezeBase)
            foreach (var p in model.parameters()) p.requires_grad = false;

        using var generatorScope = options.Seed is { } seed ? new SeedScope(seed) : null;
        var adapters = new Dictionary<string, LoraLinear>();
        foreach (var name in targets)
        {
            var (parent, field) = Resolve(model, name);
            var linear = (Linear)parent.named_children().First(c => c.name == field).module;
            var adapter = new LoraLinear(linear, options.Rank, options.Alpha);
            Replace(parent, field, adapter, name);
            adapters[name] = adapter;
        }
        return adapters;
    }

    /// <summary>Merges every adapter in the tree into its base weight.</summary>
    public static void MergeAll(nn.Module model)
    {
        foreach (var adapter in Adapters(model)) adapter.Merge();
    }

    /// <summary>Unmerges every merged adapter in the tree.</summary>
    public static void UnmergeAll(nn.Module model)
    {
        foreach (var adapter in Adapters(model)) adapter.Unmerge();
    }

    /// <summary>All adapters in the tree.</summary>
    public static IEnumerable<LoraLinear> Adapters(nn.Module model) =>
        model.modules().OfType<LoraLinear>();

    private static (nn.Module Parent, string Field) Resolve(nn.Module root, string fullName)
    {
        var dot = fullName.LastIndexOf('.');
        if (dot < 0) return (root, fullName);
        var parentName = fullName[..dot];
        var parent = root.named_modules().First(m => m.name == parentName).module;
        return (parent, fullName[(dot + 1)..]);
    }

    private static void Replace(nn.Module parent, string field, LoraLinear adapter, string fullName)
    {
        var info = parent.GetType().GetField(field, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        if (info is null || !info.FieldType.IsAssignableFrom(typeof(LoraLinear)))
            throw new NotSupportedException(
                $"Cannot wrap '{fullName}': {parent.GetType().Name} has no field '{field}' of a type a LoraLinear can be assigned to (Module<Tensor, Tensor>).");
        // TorchSharp refuses to re-register a name, so remove the Linear first; keep the field and the registry in step.
        parent.register_module(field, null!);
        parent.register_module(field, adapter);
        info.SetValue(parent, adapter);
    }

    /// <summary>Seeds torch's default generator for the adapters' initialisation and restores its state afterwards.</summary>
    private sealed class SeedScope : IDisposable
    {
        private readonly Tensor state;

        public SeedScope(long seed)
        {
            state = torch.random.get_rng_state();
            torch.random.manual_seed(seed);
        }

        public void Dispose()
        {
            torch.random.set_rng_state(state);
            state.Dispose();
        }
    }
}
