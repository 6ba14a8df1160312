// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Generation;

/// <summary>
/// Keys and values of tokens already seen, per layer, plus their padding mask, so decoding feeds only new tokens.
/// The cache owns its tensors (they are detached from dispose scopes, so a per-step scope can end safely) and frees
/// them on <see cref="Dispose"/> or when they are replaced by the next step's longer ones.
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    private readonly Tensor?[] keys;
    private readonly Tensor?[] values;
    private Tensor? keyMask;

    public KeyValueCache(int layers)
    {
        keys = new Tensor?[layers];
        values = new Tensor?[layers];
    }

    /// <summary>Number of cached token positions (real or padding).</summary>
    public long Length { get; private set; }

    /// <summary>Rows in the cached batch (0 while empty).</summary>
    public long BatchSize => keys[0]?.shape[0] ?? 0;

    /// <summary>[B, Length] int64 padding mask of the cached tokens; null when all are real.</summary>
    public Tensor? KeyMask => keyMask;

    /// <summary>
    /// A new cache whose row r holds this cache's row <paramref name="rows"/>[r] (a repeat/expand along the batch): one
    /// prompt's keys and values shared by every continuation decoded after it, so the prompt runs through the model once.
    /// The copy owns its tensors; appending to it leaves this cache unchanged.
    /// </summary>
    /// <param name="rows">[R] int64 row indices into this cache, on its device.</param>
    public KeyValueCache Repeat(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (Length == 0) throw new InvalidOperationException("The cache is empty; run a forward pass with it before repeating its rows.");
        var copy = new KeyValueCache(keys.Length);
        for (var layer = 0; layer < keys.Length; layer++)
        {
            copy.keys[layer] = keys[layer]?.index_select(0, rows).DetachFromDisposeScope();
            copy.values[layer] = values[layer]?.index_select(0, rows).DetachFromDisposeScope();
        }
        copy.keyMask = keyMask?.index_select(0, rows).DetachFromDisposeScope();
        copy.Length = Length;
        return copy;
    }

    /// <summary>Appends one layer's new keys/values and returns the full ones (owned by the cache).</summary>
    /// <param name="k">[B, Hkv, T, hd]</param>
    /// <param name="v">[B, Hkv, T, hd]</param>
    /// <returns>[B, Hkv, Length + T, hd] each</returns>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        if (layer < 0 || layer >= keys.Length) throw new ArgumentOutOfRangeException(nameof(layer), $"The cache was made for {keys.Length} layers.");
        keys[layer] = Replace(keys[layer], k);
        values[layer] = Replace(values[layer], v);
        return (keys[layer]!, values[layer]!);
    }

    private static Tensor Replace(Tensor? old, Tensor added)
    {
        var grown = (old is null ? added.detach().clone() : cat([old, added.detach()], 2)).DetachFromDisposeScope();
        old?.Dispose();
        return grown;
    }

    /// <summary>Called by the model after all layers appended: records the new length and mask.</summary>
    internal void Commit(Tensor? fullKeyMask, long length)
    {
        Length = length;
        keyMask?.Dispose();
        keyMask = fullKeyMask?.clone().DetachFromDisposeScope();
    }

    public void Dispose()
    {
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i]?.Dispose();
            values[i]?.Dispose();
            keys[i] = values[i] = null;
        }
        keyMask?.Dispose();
        keyMask = null;
        Length = 0;
    }
}
