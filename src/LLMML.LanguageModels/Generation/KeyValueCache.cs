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
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;
    private Tensor? _keyMask;

    public KeyValueCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Number of cached token positions (real or padding).</summary>
    public long Length { get; private set; }

    /// <summary>Rows in the cached batch (0 while empty).</summary>
    public long BatchSize => _keys[0]?.shape[0] ?? 0;

    /// <summary>[B, Length] int64 padding mask of the cached tokens; null when all are real.</summary>
    public Tensor? KeyMask => _keyMask;

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
        var copy = new KeyValueCache(_keys.Length);
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            copy._keys[layer] = _keys[layer]?.index_select(0, rows).DetachFromDisposeScope();
            copy._values[layer] = _values[layer]?.index_select(0, rows).DetachFromDisposeScope();
        }
        copy._keyMask = _keyMask?.index_select(0, rows).DetachFromDisposeScope();
        copy.Length = Length;
        return copy;
    }

    /// <summary>Appends one layer's new keys/values and returns the full ones (owned by the cache).</summary>
    /// <param name="k">[B, Hkv, T, hd]</param>
    /// <param name="v">[B, Hkv, T, hd]</param>
    /// <returns>[B, Hkv, Length + T, hd] each</returns>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        if (layer < 0 || layer >= _keys.Length) throw new ArgumentOutOfRangeException(nameof(layer), $"The cache was made for {_keys.Length} layers.");
        _keys[layer] = Replace(_keys[layer], k);
        _values[layer] = Replace(_values[layer], v);
        return (_keys[layer]!, _values[layer]!);
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
        _keyMask?.Dispose();
        _keyMask = fullKeyMask?.clone().DetachFromDisposeScope();
    }

    public void Dispose()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i]?.Dispose();
            _values[i]?.Dispose();
            _keys[i] = _values[i] = null;
        }
        _keyMask?.Dispose();
        _keyMask = null;
        Length = 0;
    }
}
