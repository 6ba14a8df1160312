using System.Text;
using LLMML.Citations.Loading;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Loading;

public class NpyArrayTests
{
    private static MemoryStream Npy(string header, byte[] payload) => new(NpyFiles.Npy(header, payload));

    [Fact]
    public void Reads_int32_float32_int8_and_unicode_arrays_written_by_hand()
    {
        var ints = NpyArray.Read(Npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", [.. BitConverter.GetBytes(7), .. BitConverter.GetBytes(-2), .. BitConverter.GetBytes(int.MaxValue)]));
        ints.AsInt32().Should().Equal(7, -2, int.MaxValue);
        var floats = NpyArray.Read(Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }", [.. BitConverter.GetBytes(1.5f), .. BitConverter.GetBytes(-0.25f)]));
        floats.Shape.Should().Equal(2, 1);
        floats.AsDouble().Should().Equal(1.5, -0.25);
        NpyArray.Read(Npy("{'descr': '|i1', 'fortran_order': False, 'shape': (2,), }", [0xFF, 0x05])).AsInt64().Should().Equal(-1, 5);
        var text = new byte[2 * 3 * 4];
        "ab".Select((c, i) => (c, i)).ToList().ForEach(p => BitConverter.GetBytes((int)p.c).CopyTo(text, p.i * 4));
        "xyz".Select((c, i) => (c, i)).ToList().ForEach(p => BitConverter.GetBytes((int)p.c).CopyTo(text, 12 + p.i * 4));
        NpyArray.Read(Npy("{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }", text)).AsStrings().Should().Equal("ab", "xyz");
    }

    [Fact]
    public void Rejects_fortran_order_and_short_payloads_with_a_reason()
    {
        var fortran = () => NpyArray.Read(Npy("{'descr': '<i4', 'fortran_order': True, 'shape': (1,), }", new byte[4]));
        fortran.Should().Throw<InvalidDataException>().WithMessage("*Fortran*");
        var shortPayload = () => NpyArray.Read(Npy("{'descr': '<i4', 'fortran_order': False, 'shape': (4,), }", new byte[4]));
        shortPayload.Should().Throw<InvalidDataException>().WithMessage("*payload*");
    }
}
