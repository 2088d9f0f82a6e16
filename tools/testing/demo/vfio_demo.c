// SPDX-License-Identifier: GPL-2.0-only
/*
 * A narrated tour of VFIO device assignment with QEMU's edu device: open
 * the container and the group, map two buffers for DMA, have the device
 * copy the first into the second through the IOMMU, unmap, and show that
 * the device can no longer reach the memory.  Run inside the test VM:
 *   tools/testing/demo/run
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_START	0x1
#define EDU_DMA_TO_RAM	0x2
#define EDU_BUF		0x40000
#define LEN		4000	/* QEMU 7.2's edu aborts at 4096 */

/* MMIO accessors, built like the kernel's x86 readl()/writel(). */
static uint32_t rd32(const void *addr)
{
	uint32_t v;

	asm volatile("movl %1, %0" : "=r" (v) : "m" (*(const uint32_t *)addr)
		     : "memory");
	return v;
}

static uint64_t rd64(const void *addr)
{
	uint64_t v;

	asm volatile("movq %1, %0" : "=r" (v) : "m" (*(const uint64_t *)addr)
		     : "memory");
	return v;
}

static void wr32(void *addr, uint32_t v)
{
	asm volatile("movl %0, %1" : : "r" (v), "m" (*(uint32_t *)addr)
		     : "memory");
}

static void wr64(void *addr, uint64_t v)
{
	asm volatile("movq %0, %1" : : "r" (v), "m" (*(uint64_t *)addr)
		     : "memory");
}

static void die(const char *what)
{
	fprintf(stderr, "demo: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void edu_dma(uint8_t *bar, uint64_t src, uint64_t dst,
		    uint64_t cmd)
{
	struct timespec ts = { 0, 1000000 };
	int i;

	wr64(bar + EDU_DMA_SRC, src);
	wr64(bar + EDU_DMA_DST, dst);
	wr64(bar + EDU_DMA_COUNT, LEN);
	wr64(bar + EDU_DMA_CMD, cmd | EDU_DMA_START);
	for (i = 0; i < 5000; i++) {
		if (!(rd64(bar + EDU_DMA_CMD) & EDU_DMA_START))
			return;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "demo: edu DMA did not complete\n");
	exit(1);
}

static void map(int container, void *buf, uint64_t iova)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)buf, .iova = iova, .size = 4096,
	};

	if (ioctl(container, VFIO_IOMMU_MAP_DMA, &m))
		die("VFIO_IOMMU_MAP_DMA");
	printf("  mapped user buffer %p at IOVA 0x%llx\n", buf,
	       (unsigned long long)iova);
}

int main(void)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info bar0 = { .argsz = sizeof(bar0) };
	struct vfio_region_info cfg = { .argsz = sizeof(cfg) };
	struct vfio_iommu_type1_dma_unmap um = { .argsz = sizeof(um) };
	const char *name = getenv("VFIO_EDU0");
	char path[256], link[256];
	uint8_t *bar;
	uint8_t *src, *dst;
	int container, group, device, i;
	uint16_t cmd;
	ssize_t n;

	if (!name) {
		fprintf(stderr, "demo: VFIO_EDU0 is not set (run it in the test VM)\n");
		return 1;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		die(path);
	link[n] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(link, '/') + 1);

	printf("1. The edu device %s is in IOMMU group %s\n", name, path);
	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		die("/dev/vfio/vfio");
	printf("  /dev/vfio/vfio: API version %d, Type1v2 %s\n",
	       ioctl(container, VFIO_GET_API_VERSION),
	       ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0 ?
	       "supported" : "missing");
	group = open(path, O_RDWR);
	if (group < 0)
		die(path);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status))
		die("VFIO_GROUP_GET_STATUS");
	printf("  group is %sviable\n",
	       status.flags & VFIO_GROUP_FLAGS_VIABLE ? "" : "NOT ");
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		die("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die("VFIO_SET_IOMMU");
	printf("  group in container, Type1v2 IOMMU set\n");

	printf("2. Open the device and map its BAR0\n");
	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, name);
	if (device < 0)
		die("VFIO_GROUP_GET_DEVICE_FD");
	if (ioctl(device, VFIO_DEVICE_GET_INFO, &info))
		die("VFIO_DEVICE_GET_INFO");
	bar0.index = VFIO_PCI_BAR0_REGION_INDEX;
	cfg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &bar0) ||
	    ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &cfg))
		die("VFIO_DEVICE_GET_REGION_INFO");
	printf("  %u regions, %u irq indexes; BAR0 %llu KiB at offset 0x%llx\n",
	       info.num_regions, info.num_irqs,
	       (unsigned long long)bar0.size >> 10,
	       (unsigned long long)bar0.offset);
	if (pread(device, &cmd, 2, cfg.offset + 4) != 2)
		die("config read");
	cmd |= 0x6;	/* memory decode, bus master */
	if (pwrite(device, &cmd, 2, cfg.offset + 4) != 2)
		die("config write");
	bar = mmap(NULL, bar0.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   device, bar0.offset);
	if (bar == MAP_FAILED)
		die("mmap BAR0");
	wr32(bar + EDU_LIVENESS, 0x12345678);
	printf("  edu id 0x%08x, liveness 0x12345678 -> 0x%08x\n",
	       rd32(bar + EDU_ID), rd32(bar + EDU_LIVENESS));

	printf("3. DMA through the IOMMU\n");
	src = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	dst = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED || dst == MAP_FAILED)
		die("mmap");
	for (i = 0; i < LEN; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	memset(dst, 0, 4096);
	map(container, src, 0x100000);
	map(container, dst, 0x200000);
	edu_dma(bar, 0x100000, EDU_BUF, 0);
	edu_dma(bar, EDU_BUF, 0x200000, EDU_DMA_TO_RAM);
	printf("  device copied %d bytes IOVA 0x100000 -> device -> IOVA 0x200000: %s\n",
	       LEN, memcmp(src, dst, LEN) ? "MISMATCH" : "identical");
	if (memcmp(src, dst, LEN))
		return 1;

	printf("4. Unmap, and the device can no longer reach the buffer\n");
	um.iova = 0x200000;
	um.size = 4096;
	if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &um))
		die("VFIO_IOMMU_UNMAP_DMA");
	printf("  unmapped %llu bytes at IOVA 0x200000\n",
	       (unsigned long long)um.size);
	memset(dst, 0x5a, 4096);
	edu_dma(bar, EDU_BUF, 0x200000, EDU_DMA_TO_RAM);
	for (i = 0; i < LEN && dst[i] == 0x5a; i++)
		;
	printf("  device DMA to the old IOVA: buffer %s (the IOMMU logs a fault)\n",
	       i == LEN ? "untouched" : "CHANGED");
	if (i != LEN)
		return 1;

	close(device);
	close(group);
	close(container);
	printf("demo: all good\n");
	return 0;
}
