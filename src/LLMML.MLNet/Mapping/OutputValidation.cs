using Microsoft.ML.Data;

namespace LLMML.MLNet.Mapping;

/// <summary>Catches batch functions that leave outputs unset or out of range, naming column and row.</summary>
internal static class OutputValidation
{
    public static void Check(string mapping, BatchOutputColumn column, Array values, long firstPosition)
    {
        switch (column.Type)
        {
            case VectorDataViewType { IsKnownSize: true } v when values is VBuffer<float>[] floats:
                CheckLengths(mapping, column.Name, floats.Select(b => b.Length), v.Size, firstPosition);
                break;
            case VectorDataViewType { IsKnownSize: true } v when values is VBuffer<double>[] doubles:
                CheckLengths(mapping, column.Name, doubles.Select(b => b.Length), v.Size, firstPosition);
                break;
            case KeyDataViewType k when values is uint[] keys:
                for (int i = 0; i < keys.Length; i++)
                    if (keys[i] > k.Count)
                        throw new InvalidOperationException(
                            $"{mapping}: key column '{column.Name}' got {keys[i]} at row {firstPosition + i}, above its {k.Count} values (keys are 1-based, 0 = missing).");
                break;
        }
    }

    private static void CheckLengths(string mapping, string name, IEnumerable<int> lengths, int size, long firstPosition)
    {
        int i = 0;
        foreach (var length in lengths)
        {
            if (length != size)
                throw new InvalidOperationException(
                    $"{mapping}: vector column '{name}' got length {length} at row {firstPosition + i}, expected {size} (was it left unset?).");
            i++;
        }
    }
}
