using System.Buffers.Binary;
using System.Text;
using LLMML.Foundation.Persistence;

namespace LLMML.MLNet.Tests.Persistence;

public class SafetensorsFormatTests
{
    // Builds a safetensors buffer by hand from the published layout, independent of the writer.
    private static byte[] HandMade(string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var result = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)h.Length);
        h.CopyTo(result, 8);
        data.CopyTo(result, 8 + h.Length);
        return result;
    }

    private static byte[] LittleEndianFloats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    [Fact]
    public void Reads_a_hand_made_file()
    {
        var ints = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(ints, -7);
        BinaryPrimitives.WriteInt64LittleEndian(ints.AsSpan(8), 1L << 40);
        var data = LittleEndianFloats(1.5f, -2f, 3f, 4f, 5f, 6f).Concat(ints).ToArray();
        var buffer = HandMade(
            """{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"ids":{"dtype":"I64","shape":[2],"data_offsets":[24,40]}}""",
            data);

        var content = SafetensorsFormat.Read(buffer);

        content.Metadata.Should().ContainKey("format").WhoseValue.Should().Be("pt");
        content.Tensors["w"].Shape.Should().Equal(2, 3);
        content.Tensors["w"].ToFloat32Array().Should().Equal(1.5f, -2f, 3f, 4f, 5f, 6f);
        content.Tensors["ids"].ToInt64Array().Should().Equal(-7, 1L << 40);
    }

    [Fact]
    public void Writes_the_published_layout()
    {
        var bytes = SafetensorsFormat.Write(new Dictionary<string, TensorData>
        {
            ["b"] = TensorData.FromInt32([7, -1]),
            ["a"] = TensorData.FromFloat64([0.25], []),
        });

        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        (headerLength % 8).Should().Be(0, "data should start 8-byte aligned");
        var header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength).TrimEnd(' ');
        header.Should().Be("""{"a":{"dtype":"F64","shape":[],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[2],"data_offsets":[8,16]}}""");
        var data = bytes.AsSpan(8 + (int)headerLength);
        BinaryPrimitives.ReadDoubleLittleEndian(data).Should().Be(0.25);
        BinaryPrimitives.ReadInt32LittleEndian(data[8..]).Should().Be(7);
        BinaryPrimitives.ReadInt32LittleEndian(data[12..]).Should().Be(-1);
        data.Length.Should().Be(16);
    }

    [Fact]
    public void Round_trips_every_dtype()
    {
        var tensors = new Dictionary<string, TensorData>
        {
            ["f32"] = TensorData.FromFloat32([1f, float.NaN, float.NegativeInfinity, 0f], [2, 1, 2]),
            ["f64"] = TensorData.FromFloat64([Math.PI]),
            ["i32"] = TensorData.FromInt32([int.MinValue, int.MaxValue]),
            ["i64"] = TensorData.FromInt64([long.MinValue]),
            ["empty"] = TensorData.FromFloat32([], [0, 5]),
        };
        var back = SafetensorsFormat.Read(SafetensorsFormat.Write(tensors, new Dictionary<string, string> { ["k"] = "v" }));

        back.Tensors["f32"].ToFloat32Array().Should().Equal(1f, float.NaN, float.NegativeInfinity, 0f);
        back.Tensors["f32"].Shape.Should().Equal(2, 1, 2);
        back.Tensors["f64"].ToFloat64Array().Should().Equal(Math.PI);
        back.Tensors["i32"].ToInt32Array().Should().Equal(int.MinValue, int.MaxValue);
        back.Tensors["i64"].ToInt64Array().Should().Equal(long.MinValue);
        back.Tensors["empty"].Shape.Should().Equal(0, 5);
        back.Metadata["k"].Should().Be("v");
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,8]}}""", 8, "'w'")]          // shape needs 16 bytes
    [InlineData("""{"w":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]}}""", 8, "BF16")]          // unsupported dtype
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 12, "cover")]         // trailing bytes
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "gap")]            // gap at start
    [InlineData("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "non-negative")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1]}}""", 4, "data_offsets")]
    [InlineData("""[1,2]""", 0, "not a JSON object")]
    [InlineData("""{"w":""", 0, "not valid JSON")]
    public void Rejects_inconsistent_headers_by_name(string header, int dataBytes, string expectedFragment)
    {
        var act = () => SafetensorsFormat.Read(HandMade(header, new byte[dataBytes]), "x.safetensors");
        act.Should().Throw<InvalidDataException>().WithMessage($"*x.safetensors*{expectedFragment}*");
    }

    [Fact]
    public void Rejects_a_header_length_beyond_the_buffer()
    {
        var buffer = new byte[20];
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, 1000);
        var act = () => SafetensorsFormat.Read(buffer, "t.safetensors");
        act.Should().Throw<InvalidDataException>().WithMessage("*t.safetensors*1000-byte header*");
    }
}
