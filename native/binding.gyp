# node-gyp build of the optional oneDNN addon (native/build.js runs it): links Debian's libdnnl (2.6, OpenMP).
{
  "targets": [
    {
      "target_name": "unlearn_onednn",
      "sources": ["src/addon.cc", "src/batchnorm.cc", "src/conv.cc", "src/dnnl_ctx.cc", "src/eltwise.cc", "src/kernels.cc", "src/kernels_base.cc", "src/kernels_avx2.cc", "src/kernels_avx512.cc", "src/matmul.cc", "src/optimizer.cc"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fopenmp", "-fexceptions"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldnnl", "-lgomp"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
