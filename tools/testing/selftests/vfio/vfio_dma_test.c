// SPDX-License-Identifier: GPL-2.0-only
/*
 * Type1 DMA mappings, checked with the edu's DMA engine going through the
 * IOMMU: VFIO_IOMMU_GET_INFO and its capabilities, MAP_DMA and UNMAP_DMA
 * (returned sizes, v1 and v2 unmap semantics, UNMAP_ALL) and their errors,
 * data moved RAM -> device -> RAM, read-only mappings and unmapped IOVAs
 * left untouched by the device, a high IOVA, mappings replayed into a
 * second group joining the container, dirty page logging of the device's
 * writes, and VFIO_UPDATE_VADDR (a mapping's vaddr invalidated and set
 * again).  Every test runs with TYPE1 and TYPE1v2.
 *
 * A DMA to an unmapped or read-only IOVA makes the guest kernel log an
 * IOMMU fault (DMAR / AMD-Vi): that is expected.
 *
 * Error codes are those of Debian's stock 6.1 modules, except where ours
 * follow upstream Linux (README: "Where ours differ from stock 6.1"): a
 * range that wraps past 2^64 is -EOVERFLOW, not -EINVAL, and a range that
 * ends at 2^64 - 1 covers the mappings in it (6.1's unmap skips them, its
 * dirty bitmap refuses the range); and 6.1's dirty bitmaps report stale
 * bits (dirty_dma).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

#define PAGE		4096UL
#define BUF_SIZE	(2 * PAGE)
#define IOVA_SRC	0x100000ULL
#define IOVA_DST	0x200000ULL
#define IOVA_HIGH	0x1000000000ULL	/* 64 GiB: needs a 64-bit edu */
#define IOVA_MSI	0xfee00000ULL	/* reserved on Intel and AMD */
#define IOVA_TOP	(~0ULL - PAGE + 1)	/* the last page of 2^64 */
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

/* A range that wraps past 2^64: -EOVERFLOW as upstream, 6.1 -EINVAL */
#define WRAPS		(vfio_stock_modules() ? -EINVAL : -EOVERFLOW)

static const char *edu0, *edu1;

/* Capability chain of a VFIO_IOMMU_GET_INFO answer. */
static struct vfio_info_cap_header *
find_cap(struct vfio_iommu_type1_info *info, uint16_t id)
{
	uint32_t off = info->cap_offset;
	unsigned int n = 0;

	while (off && off + sizeof(struct vfio_info_cap_header) <=
	       info->argsz && n++ < 64) {
		struct vfio_info_cap_header *h = (void *)((char *)info + off);

		if (h->id == id)
			return h;
		off = h->next;
	}
	return NULL;
}

/*
 * Everything a test opens is the fixture's, so that the teardown releases
 * it whatever assertion failed: EDU0 with its own container (d), EDU1
 * when a test adds it to that container (d1), and the DMA buffers.
 */
FIXTURE(dma)
{
	struct vfio_dev d;
	struct vfio_dev d1;
	uint8_t *src, *dst;
	uint8_t *mem;		/* a test's own memory, mem_size bytes */
	size_t mem_size;
	int memfd;
};

FIXTURE_VARIANT(dma)
{
	unsigned long type;
};

FIXTURE_VARIANT_ADD(dma, type1)
{
	.type = VFIO_TYPE1_IOMMU,
};

FIXTURE_VARIANT_ADD(dma, type1v2)
{
	.type = VFIO_TYPE1v2_IOMMU,
};

static void dma_release(FIXTURE_DATA(dma) * self)
{
	vfio_dev_close(&self->d1);
	vfio_dev_close(&self->d);
	vfio_free(self->src, BUF_SIZE);
	vfio_free(self->dst, BUF_SIZE);
	vfio_free(self->mem, self->mem_size);
	if (self->memfd >= 0)
		close(self->memfd);
	self->src = NULL;
	self->dst = NULL;
	self->mem = NULL;
	self->memfd = -1;
}

/*
 * The harness does not tear down after a failed setup: the setup
 * releases what it got before it asserts.
 */
FIXTURE_SETUP(dma)
{
	int ret = -ENOMEM;

	vfio_dev_init(&self->d, edu0);
	vfio_dev_init(&self->d1, edu1);
	self->mem = NULL;
	self->memfd = -1;
	self->src = vfio_alloc(BUF_SIZE);
	self->dst = vfio_alloc(BUF_SIZE);
	if (self->src && self->dst)
		ret = vfio_dev_open(&self->d, edu0, variant->type);
	if (!ret)
		ret = edu_map_bar0(&self->d);
	if (!ret)
		ret = edu_enable(&self->d);
	if (ret)
		dma_release(self);
	ASSERT_EQ(0, ret) TH_LOG("buffers, %s and its BAR0", edu0);
}

FIXTURE_TEARDOWN(dma)
{
	dma_release(self);
}

TEST_F(dma, iommu_info)
{
	struct vfio_iommu_type1_info_cap_iova_range *range;
	struct vfio_iommu_type1_info_dma_avail *avail;
	struct vfio_iommu_type1_info *info;
	struct vfio_iommu_type1_info small;
	bool src_ok = false, dst_ok = false, msi_ok = false;
	uint32_t i;

	/* the minimum argsz ends at iova_pgsizes: no capabilities */
	memset(&small, 0, sizeof(small));
	small.argsz = offsetof(struct vfio_iommu_type1_info, iova_pgsizes) +
		      sizeof(small.iova_pgsizes);
	ASSERT_EQ(0, vfio_ioctl(self->d.container, VFIO_IOMMU_GET_INFO,
				&small));
	EXPECT_TRUE(small.flags & VFIO_IOMMU_INFO_PGSIZES);
	/* 4 KiB pages: the smallest size the IOMMU maps */
	EXPECT_EQ(PAGE, small.iova_pgsizes & -small.iova_pgsizes);

	/* room for the header only: told how much is needed */
	memset(&small, 0, sizeof(small));
	small.argsz = sizeof(small);
	ASSERT_EQ(0, vfio_ioctl(self->d.container, VFIO_IOMMU_GET_INFO,
				&small));
	ASSERT_TRUE(small.flags & VFIO_IOMMU_INFO_CAPS);
	ASSERT_LT(sizeof(small), small.argsz);
	EXPECT_EQ(0U, small.cap_offset);
	ASSERT_GT(65536U, small.argsz);

	info = calloc(1, small.argsz);
	ASSERT_NE(NULL, info);
	info->argsz = small.argsz;
	ASSERT_EQ(0, vfio_ioctl(self->d.container, VFIO_IOMMU_GET_INFO, info));
	EXPECT_TRUE(info->flags & VFIO_IOMMU_INFO_PGSIZES);
	EXPECT_TRUE(info->flags & VFIO_IOMMU_INFO_CAPS);
	EXPECT_EQ(small.iova_pgsizes, info->iova_pgsizes);
	EXPECT_LE(sizeof(*info), info->cap_offset);

	/* QEMU 7.2 looks for all three */
	EXPECT_NE(NULL, find_cap(info,
				 VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION));
	avail = (void *)find_cap(info, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
	ASSERT_NE(NULL, avail);
	EXPECT_LT(0U, avail->avail);
	range = (void *)find_cap(info, VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
	ASSERT_NE(NULL, range);
	ASSERT_LE(1U, range->nr_iovas);
	ASSERT_GE(info->argsz,
		  (uint32_t)((char *)&range->iova_ranges[range->nr_iovas] -
			     (char *)info));
	for (i = 0; i < range->nr_iovas; i++) {
		uint64_t s = range->iova_ranges[i].start;
		uint64_t e = range->iova_ranges[i].end;

		EXPECT_LE(s, e);
		if (i)
			EXPECT_LT(range->iova_ranges[i - 1].end, s);
		if (s <= IOVA_SRC && IOVA_SRC + BUF_SIZE - 1 <= e)
			src_ok = true;
		if (s <= IOVA_DST && IOVA_DST + BUF_SIZE - 1 <= e)
			dst_ok = true;
		if (s <= IOVA_MSI && IOVA_MSI <= e)
			msi_ok = true;
	}
	EXPECT_TRUE(src_ok);
	EXPECT_TRUE(dst_ok);
	/* the MSI window is reserved */
	EXPECT_FALSE(msi_ok);
	free(info);
}

TEST_F(dma, iommu_info_short_argsz)
{
	struct vfio_iommu_type1_info info;

	memset(&info, 0, sizeof(info));
	info.argsz = offsetof(struct vfio_iommu_type1_info, iova_pgsizes);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.container, VFIO_IOMMU_GET_INFO,
				      &info));
	info.argsz = 0;
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.container, VFIO_IOMMU_GET_INFO,
				      &info));
}

/* RAM -> edu -> RAM, page-aligned and then across a page boundary. */
TEST_F(dma, roundtrip)
{
	const uint32_t len = EDU_DMA_MAX;
	size_t bad;

	vfio_fill(self->src, BUF_SIZE, 3);
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->src, IOVA_SRC,
				  BUF_SIZE, VFIO_DMA_MAP_FLAG_READ));
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  BUF_SIZE, RW));

	ASSERT_EQ(0, edu_dma(&self->d, IOVA_SRC, 0, len, false));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_DST, 0, len, true));
	bad = 0;
	while (bad < len && self->dst[bad] == self->src[bad])
		bad++;
	EXPECT_EQ(len, bad);
	/* not a byte more */
	EXPECT_EQ(BUF_SIZE - len,
		  vfio_first_not(self->dst + len, BUF_SIZE - len, 0));

	/* the second page of each mapping is another, unrelated page */
	memset(self->dst, 0, BUF_SIZE);
	vfio_fill(self->src, BUF_SIZE, 101);
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_SRC + PAGE / 2, 0, len, false));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_DST + PAGE / 2 + 1, 0, len,
			     true));
	EXPECT_EQ(0, memcmp(self->src + PAGE / 2, self->dst + PAGE / 2 + 1,
			    len));
	EXPECT_EQ(PAGE / 2 + 1, vfio_first_not(self->dst, PAGE / 2 + 1, 0));
}

/* After UNMAP_DMA the device can't reach the (still allocated) buffer. */
TEST_F(dma, unmapped_iova_untouched)
{
	uint64_t unmapped = 0;

	vfio_fill(self->src, BUF_SIZE, 7);
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->src, IOVA_SRC,
				  BUF_SIZE, VFIO_DMA_MAP_FLAG_READ));
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  BUF_SIZE, RW));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_SRC, 0, EDU_DMA_MAX, false));
	/* it works while mapped */
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_DST, 0, 64, true));
	ASSERT_EQ(0, memcmp(self->src, self->dst, 64));

	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_DST, BUF_SIZE, 0,
				    &unmapped));
	EXPECT_EQ(BUF_SIZE, unmapped);
	memset(self->dst, 0x5a, BUF_SIZE);
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_DST, 0, EDU_DMA_MAX, true));
	EXPECT_EQ(BUF_SIZE, vfio_first_not(self->dst, BUF_SIZE, 0x5a));
	/* the device is still fine */
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));

	/* and the IOVA can be mapped again */
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  BUF_SIZE, RW));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_DST, 0, EDU_DMA_MAX, true));
	EXPECT_EQ(0, memcmp(self->src, self->dst, EDU_DMA_MAX));
}

/* A mapping without VFIO_DMA_MAP_FLAG_WRITE can't be written by DMA. */
TEST_F(dma, readonly_mapping)
{
	vfio_fill(self->src, BUF_SIZE, 11);
	memset(self->dst, 0xc3, BUF_SIZE);
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->src, IOVA_SRC,
				  BUF_SIZE, VFIO_DMA_MAP_FLAG_READ));
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  BUF_SIZE, VFIO_DMA_MAP_FLAG_READ));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_SRC, 0, EDU_DMA_MAX, false));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_DST, 0, EDU_DMA_MAX, true));
	EXPECT_EQ(BUF_SIZE, vfio_first_not(self->dst, BUF_SIZE, 0xc3));
}

/* An IOVA above 4 GiB reaches the right memory. */
TEST_F(dma, high_iova)
{
	vfio_fill(self->src, BUF_SIZE, 13);
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->src, IOVA_SRC,
				  BUF_SIZE, VFIO_DMA_MAP_FLAG_READ));
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_HIGH,
				  BUF_SIZE, RW));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_SRC, 0, EDU_DMA_MAX, false));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_HIGH + 8, 0, 1000, true));
	EXPECT_EQ(0, memcmp(self->src, self->dst + 8, 1000));
	EXPECT_EQ(8U, vfio_first_not(self->dst, 8, 0));
}

TEST_F(dma, map_errors)
{
	struct vfio_iommu_type1_dma_map map;
	void *hole;

	/* short argsz */
	memset(&map, 0, sizeof(map));
	map.argsz = offsetof(struct vfio_iommu_type1_dma_map, size);
	map.flags = RW;
	map.vaddr = (uintptr_t)self->dst;
	map.iova = IOVA_DST;
	map.size = PAGE;
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.container, VFIO_IOMMU_MAP_DMA,
				      &map));
	/* unknown flags, and neither READ nor WRITE */
	EXPECT_EQ(-EINVAL, vfio_map_dma(self->d.container, self->dst,
					IOVA_DST, PAGE, RW | (1U << 8)));
	EXPECT_EQ(-EINVAL, vfio_map_dma(self->d.container, self->dst,
					IOVA_DST, PAGE, 0));
	/* misaligned iova, vaddr, size; no size */
	EXPECT_EQ(-EINVAL, vfio_map_dma(self->d.container, self->dst,
					IOVA_DST + 0x800, PAGE, RW));
	EXPECT_EQ(-EINVAL, vfio_map_dma(self->d.container, self->dst + 0x800,
					IOVA_DST, PAGE, RW));
	EXPECT_EQ(-EINVAL, vfio_map_dma(self->d.container, self->dst,
					IOVA_DST, PAGE + 1, RW));
	EXPECT_EQ(-EINVAL, vfio_map_dma(self->d.container, self->dst,
					IOVA_DST, 0, RW));
	/* IOVA or vaddr wrapping around, misaligned too */
	EXPECT_EQ(WRAPS, vfio_map_dma(self->d.container, self->dst,
				      IOVA_TOP, BUF_SIZE, RW));
	EXPECT_EQ(WRAPS, vfio_map_dma(self->d.container, self->dst,
				      IOVA_DST, IOVA_TOP, RW));
	EXPECT_EQ(WRAPS, vfio_map_dma(self->d.container,
				      (void *)(uintptr_t)IOVA_TOP, IOVA_DST,
				      BUF_SIZE, RW));
	EXPECT_EQ(WRAPS, vfio_map_dma(self->d.container, self->dst,
				      IOVA_TOP + 1, PAGE, RW));
	/* the reserved MSI window */
	EXPECT_EQ(-EINVAL, vfio_map_dma(self->d.container, self->dst,
					IOVA_MSI, PAGE, RW));

	/* memory that isn't mapped in this process */
	hole = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, munmap((char *)hole + PAGE, PAGE));
	/* only its first page exists: pinning fails half-way */
	EXPECT_EQ(-EFAULT, vfio_map_dma(self->d.container, hole, IOVA_DST,
					3 * PAGE, RW));
	/* none of it */
	EXPECT_EQ(-EFAULT, vfio_map_dma(self->d.container,
					(char *)hole + PAGE, IOVA_DST, PAGE,
					RW));
	munmap(hole, PAGE);
	munmap((char *)hole + 2 * PAGE, PAGE);

	/* none of that left a mapping behind */
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  BUF_SIZE, RW));
	/* overlapping an existing mapping, or the same again */
	EXPECT_EQ(-EEXIST, vfio_map_dma(self->d.container, self->src,
					IOVA_DST, BUF_SIZE, RW));
	EXPECT_EQ(-EEXIST, vfio_map_dma(self->d.container, self->src,
					IOVA_DST + PAGE, BUF_SIZE, RW));
	EXPECT_EQ(-EEXIST, vfio_map_dma(self->d.container, self->src,
					IOVA_DST - PAGE, BUF_SIZE, RW));
	/* adjacent is fine */
	EXPECT_EQ(0, vfio_map_dma(self->d.container, self->src,
				  IOVA_DST + BUF_SIZE, BUF_SIZE, RW));
}

TEST_F(dma, unmap_errors)
{
	struct vfio_iommu_type1_dma_unmap unmap;
	uint64_t unmapped = 1;

	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  BUF_SIZE, RW));
	memset(&unmap, 0, sizeof(unmap));
	unmap.argsz = offsetof(struct vfio_iommu_type1_dma_unmap, size);
	unmap.iova = IOVA_DST;
	unmap.size = BUF_SIZE;
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.container, VFIO_IOMMU_UNMAP_DMA,
				      &unmap));
	EXPECT_EQ(-EINVAL, vfio_unmap_dma(self->d.container, IOVA_DST,
					  BUF_SIZE, 1U << 8, NULL));
	EXPECT_EQ(-EINVAL, vfio_unmap_dma(self->d.container, IOVA_DST + 0x800,
					  BUF_SIZE, 0, NULL));
	EXPECT_EQ(-EINVAL, vfio_unmap_dma(self->d.container, IOVA_DST,
					  BUF_SIZE - 1, 0, NULL));
	EXPECT_EQ(-EINVAL, vfio_unmap_dma(self->d.container, IOVA_DST, 0, 0,
					  NULL));
	/* UNMAP_ALL takes neither an IOVA nor a size */
	EXPECT_EQ(-EINVAL, vfio_unmap_dma(self->d.container, 0, BUF_SIZE,
					  VFIO_DMA_UNMAP_FLAG_ALL, NULL));
	EXPECT_EQ(-EINVAL, vfio_unmap_dma(self->d.container, IOVA_DST, 0,
					  VFIO_DMA_UNMAP_FLAG_ALL, NULL));
	/* wrapping around, misaligned too */
	EXPECT_EQ(WRAPS, vfio_unmap_dma(self->d.container, IOVA_TOP,
					BUF_SIZE, 0, NULL));
	EXPECT_EQ(WRAPS, vfio_unmap_dma(self->d.container, IOVA_DST,
					IOVA_TOP, 0, NULL));
	EXPECT_EQ(WRAPS, vfio_unmap_dma(self->d.container, IOVA_TOP + 1,
					PAGE, 0, NULL));
	/* ending at the top is fine: nothing there */
	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_TOP, PAGE, 0,
				    &unmapped));
	EXPECT_EQ(0U, unmapped);

	/* the mapping survived all of that */
	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_DST, BUF_SIZE, 0,
				    &unmapped));
	EXPECT_EQ(BUF_SIZE, unmapped);
}

TEST_F(dma, unmap_sizes)
{
	uint64_t unmapped = 1;

	/* nothing there: success, nothing unmapped */
	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_DST, BUF_SIZE, 0,
				    &unmapped));
	EXPECT_EQ(0U, unmapped);

	/* one range covering two mappings and a hole */
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->src, IOVA_SRC,
				  BUF_SIZE, RW));
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  PAGE, RW));
	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_SRC,
				    IOVA_DST + BUF_SIZE - IOVA_SRC, 0,
				    &unmapped));
	EXPECT_EQ(BUF_SIZE + PAGE, unmapped);
	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_SRC, BUF_SIZE, 0,
				    &unmapped));
	EXPECT_EQ(0U, unmapped);

	/* UNMAP_ALL */
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->src, IOVA_SRC,
				  BUF_SIZE, RW));
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_HIGH,
				  BUF_SIZE, RW));
	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, 0, 0,
				    VFIO_DMA_UNMAP_FLAG_ALL, &unmapped));
	EXPECT_EQ(2 * BUF_SIZE, unmapped);
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->src, IOVA_SRC,
				  BUF_SIZE, RW));
}

/* Each mapping uses one of the entries counted by the DMA_AVAIL cap. */
static uint32_t dma_avail(struct __test_metadata *_metadata, int container)
{
	struct vfio_iommu_type1_info_dma_avail *avail;
	struct vfio_iommu_type1_info *info;
	uint32_t ret = 0;
	char buf[4096];

	memset(buf, 0, sizeof(buf));
	info = (void *)buf;
	info->argsz = sizeof(buf);
	EXPECT_EQ(0, vfio_ioctl(container, VFIO_IOMMU_GET_INFO, info));
	avail = (void *)find_cap(info, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
	EXPECT_NE(NULL, avail);
	if (avail)
		ret = avail->avail;
	return ret;
}

TEST_F(dma, dma_avail)
{
	uint32_t before = dma_avail(_metadata, self->d.container);

	ASSERT_LT(2U, before);
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->src, IOVA_SRC,
				  BUF_SIZE, RW));
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  PAGE, RW));
	EXPECT_EQ(before - 2, dma_avail(_metadata, self->d.container));
	/* a failed map takes none */
	EXPECT_EQ(-EEXIST, vfio_map_dma(self->d.container, self->dst,
					IOVA_DST, PAGE, RW));
	EXPECT_EQ(before - 2, dma_avail(_metadata, self->d.container));
	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_SRC, BUF_SIZE, 0,
				    NULL));
	EXPECT_EQ(before - 1, dma_avail(_metadata, self->d.container));
	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, 0, 0,
				    VFIO_DMA_UNMAP_FLAG_ALL, NULL));
	EXPECT_EQ(before, dma_avail(_metadata, self->d.container));
}

/*
 * Without CAP_IPC_LOCK, pinned pages count against RLIMIT_MEMLOCK: a map
 * beyond it fails with -ENOMEM, and unmapping gives the pages back.
 */
TEST_F(dma, memlock_limit)
{
	struct rlimit rl = { .rlim_cur = 3 * PAGE, .rlim_max = 3 * PAGE };

	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &rl));
	ASSERT_EQ(0, drop_cap_ipc_lock());

	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->src, IOVA_SRC,
				  BUF_SIZE, RW));
	EXPECT_EQ(-ENOMEM, vfio_map_dma(self->d.container, self->dst,
					IOVA_DST, BUF_SIZE, RW));
	/* the failed map left nothing behind */
	EXPECT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  PAGE, RW));
	EXPECT_EQ(-ENOMEM, vfio_map_dma(self->d.container, self->dst + PAGE,
					IOVA_DST + PAGE, PAGE, RW));
	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_SRC, BUF_SIZE, 0,
				    NULL));
	EXPECT_EQ(0, vfio_map_dma(self->d.container, self->dst + PAGE,
				  IOVA_DST + PAGE, PAGE, RW));
	/* and the mappings work */
	vfio_fill(self->dst, PAGE, 5);
	EXPECT_EQ(0, edu_dma(&self->d, IOVA_DST, 0, 1024, false));
	EXPECT_EQ(0, edu_dma(&self->d, IOVA_DST + PAGE, 0, 1024, true));
	EXPECT_EQ(0, memcmp(self->dst, self->dst + PAGE, 1024));
}

/*
 * Unmapping part of a mapping: v2 refuses to split it (-EINVAL); v1
 * succeeds without unmapping anything when the range starts inside it.
 */
TEST_F(dma, unmap_partial)
{
	uint64_t unmapped = 1;
	int ret;

	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  BUF_SIZE, RW));
	ret = vfio_unmap_dma(self->d.container, IOVA_DST + PAGE, PAGE, 0,
			     &unmapped);
	if (variant->type == VFIO_TYPE1v2_IOMMU) {
		EXPECT_EQ(-EINVAL, ret);
	} else {
		EXPECT_EQ(0, ret);
		EXPECT_EQ(0U, unmapped);
	}
	if (variant->type == VFIO_TYPE1v2_IOMMU) {
		EXPECT_EQ(-EINVAL, vfio_unmap_dma(self->d.container, IOVA_DST,
						  PAGE, 0, NULL));
	}
	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_DST, BUF_SIZE, 0,
				    &unmapped));
	EXPECT_EQ(BUF_SIZE, unmapped);
}

/*
 * A range that ends at 2^64 - 1 covers the mappings in it.  6.1 computes
 * the end of an unmap as iova + size, 0 there, and unmaps nothing.
 */
TEST_F(dma, unmap_to_top)
{
	uint64_t unmapped = 1;

	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  BUF_SIZE, RW));
	ASSERT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_DST,
				    0 - IOVA_DST, 0, &unmapped));
	if (vfio_stock_modules()) {
		TH_LOG("stock 6.1 bug: an unmap up to 2^64 - 1 unmaps nothing");
		EXPECT_EQ(0U, unmapped);
		ASSERT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_DST,
					    BUF_SIZE, 0, &unmapped));
	}
	EXPECT_EQ(BUF_SIZE, unmapped);
	/* gone: the IOVA maps again */
	EXPECT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  BUF_SIZE, RW));
}

/* VFIO_IOMMU_DIRTY_PAGES with START or STOP */
static int dirty_track(int container, uint32_t flag)
{
	struct vfio_iommu_type1_dirty_bitmap d = {
		.argsz = sizeof(d),
		.flags = flag,
	};

	return (int)vfio_ioctl(container, VFIO_IOMMU_DIRTY_PAGES, &d);
}

/* GET_BITMAP of a range of 4 KiB pages into one u64 of bits */
static int dirty_get(int container, uint64_t iova, uint64_t size,
		     uint64_t *bits)
{
	uint64_t buf[(sizeof(struct vfio_iommu_type1_dirty_bitmap) +
		      sizeof(struct vfio_iommu_type1_dirty_bitmap_get)) / 8];
	struct vfio_iommu_type1_dirty_bitmap *d = (void *)buf;
	struct vfio_iommu_type1_dirty_bitmap_get *get = (void *)d->data;

	memset(buf, 0, sizeof(buf));
	d->argsz = sizeof(*d) + sizeof(*get);
	d->flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP;
	get->iova = iova;
	get->size = size;
	get->bitmap.pgsize = PAGE;
	get->bitmap.size = sizeof(*bits);
	get->bitmap.data = (__u64 *)bits;
	return (int)vfio_ioctl(container, VFIO_IOMMU_DIRTY_PAGES, d);
}

/* UNMAP_DMA with GET_DIRTY_BITMAP into one u64 of bits */
static int dirty_unmap(int container, uint64_t iova, uint64_t size,
		       uint64_t *bits, uint64_t *unmapped)
{
	uint64_t buf[(sizeof(struct vfio_iommu_type1_dma_unmap) +
		      sizeof(struct vfio_bitmap)) / 8];
	struct vfio_iommu_type1_dma_unmap *u = (void *)buf;
	struct vfio_bitmap *bm = (void *)u->data;
	int ret;

	memset(buf, 0, sizeof(buf));
	u->argsz = sizeof(*u) + sizeof(*bm);
	u->flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
	u->iova = iova;
	u->size = size;
	bm->pgsize = PAGE;
	bm->size = sizeof(*bits);
	bm->data = (__u64 *)bits;
	ret = (int)vfio_ioctl(container, VFIO_IOMMU_UNMAP_DMA, u);
	if (!ret)
		*unmapped = u->size;
	return ret;
}

/*
 * Dirty page logging, v2 only: every pinned page is dirty.  Its ranges are
 * checked as MAP_DMA's and UNMAP_DMA's are: one that wraps is refused, one
 * that ends at 2^64 - 1 is fine (6.1 refuses it with -EINVAL).
 */
TEST_F(dma, dirty_ranges)
{
	int c = self->d.container;
	uint64_t bits, unmapped = 0;

	if (variant->type != VFIO_TYPE1v2_IOMMU) {
		EXPECT_EQ(-EACCES,
			  dirty_track(c, VFIO_IOMMU_DIRTY_PAGES_FLAG_START));
		return;
	}
	ASSERT_EQ(0, vfio_map_dma(c, self->dst, IOVA_DST, BUF_SIZE, RW));
	/* not while not logging */
	EXPECT_EQ(-EINVAL, dirty_get(c, IOVA_DST, BUF_SIZE, &bits));
	ASSERT_EQ(0, dirty_track(c, VFIO_IOMMU_DIRTY_PAGES_FLAG_START));

	bits = 0;
	EXPECT_EQ(0, dirty_get(c, IOVA_DST, BUF_SIZE, &bits));
	EXPECT_EQ(3U, bits);
	/* empty, wrapping, wrapping and misaligned */
	EXPECT_EQ(-EINVAL, dirty_get(c, IOVA_DST, 0, &bits));
	EXPECT_EQ(WRAPS, dirty_get(c, IOVA_TOP, BUF_SIZE, &bits));
	EXPECT_EQ(WRAPS, dirty_get(c, IOVA_TOP + 1, PAGE, &bits));
	/* ending at the top: nothing mapped there */
	bits = 0;
	if (vfio_stock_modules()) {
		TH_LOG("stock 6.1 bug: a bitmap up to 2^64 - 1 is refused");
		EXPECT_EQ(-EINVAL, dirty_get(c, IOVA_TOP, PAGE, &bits));
	} else {
		EXPECT_EQ(0, dirty_get(c, IOVA_TOP, PAGE, &bits));
	}
	EXPECT_EQ(0U, bits);

	/* the same checks when unmapping with the bitmap */
	EXPECT_EQ(WRAPS, dirty_unmap(c, IOVA_TOP, BUF_SIZE, &bits,
				     &unmapped));
	EXPECT_EQ(WRAPS, dirty_unmap(c, IOVA_DST, IOVA_TOP, &bits,
				     &unmapped));
	EXPECT_EQ(0U, bits);
	ASSERT_EQ(0, dirty_unmap(c, IOVA_DST, BUF_SIZE, &bits, &unmapped));
	EXPECT_EQ(BUF_SIZE, unmapped);
	EXPECT_EQ(3U, bits);
	EXPECT_EQ(0, dirty_track(c, VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP));
}

/*
 * Dirty page logging of edu DMA writes, v2 only.  Without a vendor driver
 * that pins pages, 6.1 cannot tell which pages a device wrote: it reports
 * every page of every pinned mapping dirty, on every GET_BITMAP and in
 * the unmap's bitmap, including the pages the device did not touch, and
 * nothing for the holes between mappings.  Ours report the same.
 *
 * 6.1 bug: update_user_bitmap() shifts a mapping's own bitmap in place to
 * the mapping's bit offset in the user's bitmap, then clears only its
 * first nbits bits: the shifted copy stays, and the next report shifts it
 * again.  A mapping that starts DIRTY_GAP / PAGE (8) bits into the
 * requested range so gets, from its second report on, 4 more bits 8
 * further each time, in the hole after it and past the range's end.  Ours
 * report exactly the mappings' pages each time.
 */
#define DIRTY_PAGES	4
#define DIRTY_GAP	(2 * DIRTY_PAGES * PAGE)	/* the second mapping */
#define DIRTY_BITS	(0xfULL | (0xfULL << (2 * DIRTY_PAGES)))
/* 6.1: what the mapping at DIRTY_GAP left in its bitmap, after n reports */
#define DIRTY_STALE(n)	(vfio_stock_modules() ? dirty_stale(n) : 0)

static uint64_t dirty_stale(unsigned int n)
{
	uint64_t bits = 0;

	while (n--)
		bits = (bits | 0xf) << (2 * DIRTY_PAGES);
	return bits & ~0xfULL;
}

TEST_F(dma, dirty_dma)
{
	const uint64_t size = DIRTY_PAGES * PAGE;
	int c = self->d.container;
	uint64_t bits, unmapped = 0;
	uint8_t *a, *b;

	if (variant->type != VFIO_TYPE1v2_IOMMU)
		SKIP(return, "dirty page logging is TYPE1v2's");
	self->mem_size = 2 * size;
	self->mem = vfio_alloc(self->mem_size);
	ASSERT_NE(NULL, self->mem);
	a = self->mem;
	b = self->mem + size;
	/* two mappings with a hole of DIRTY_PAGES pages between them */
	ASSERT_EQ(0, vfio_map_dma(c, a, IOVA_DST, size, RW));
	ASSERT_EQ(0, vfio_map_dma(c, b, IOVA_DST + DIRTY_GAP, size, RW));
	ASSERT_EQ(0, vfio_map_dma(c, self->src, IOVA_SRC, BUF_SIZE,
				  VFIO_DMA_MAP_FLAG_READ));
	ASSERT_EQ(0, dirty_track(c, VFIO_IOMMU_DIRTY_PAGES_FLAG_START));

	/* the device writes part of a's second page only */
	vfio_fill(self->src, BUF_SIZE, 29);
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_SRC, 0, 1000, false));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_DST + PAGE + 100, 0, 1000, true));
	EXPECT_EQ(0, memcmp(self->src, a + PAGE + 100, 1000));
	EXPECT_EQ(PAGE + 100, vfio_first_not(a, PAGE + 100, 0));
	EXPECT_EQ(size, vfio_first_not(b, size, 0));

	bits = 0;
	ASSERT_EQ(0, dirty_get(c, IOVA_DST, DIRTY_GAP + size, &bits));
	EXPECT_EQ(DIRTY_BITS, bits);
	/* again, without any DMA in between: the same */
	if (vfio_stock_modules())
		TH_LOG("stock 6.1 bug: stale bits in a shifted mapping's bitmap");
	bits = 0;
	ASSERT_EQ(0, dirty_get(c, IOVA_DST, DIRTY_GAP + size, &bits));
	EXPECT_EQ(DIRTY_BITS | DIRTY_STALE(2), bits);
	/* one mapping alone; half of one is refused */
	bits = 0;
	ASSERT_EQ(0, dirty_get(c, IOVA_DST + DIRTY_GAP, size, &bits));
	EXPECT_EQ(0xfULL | DIRTY_STALE(2), bits);
	EXPECT_EQ(-EINVAL, dirty_get(c, IOVA_DST + PAGE, PAGE, &bits));
	EXPECT_EQ(-EINVAL, dirty_get(c, IOVA_DST, PAGE, &bits));
	/* a mapping made while logging, never written: dirty too */
	ASSERT_EQ(0, vfio_map_dma(c, self->dst, IOVA_HIGH, BUF_SIZE, RW));
	bits = 0;
	ASSERT_EQ(0, dirty_get(c, IOVA_HIGH, BUF_SIZE, &bits));
	EXPECT_EQ(3U, bits);

	/* the unmap reports both mappings the same way */
	bits = 0;
	ASSERT_EQ(0, dirty_unmap(c, IOVA_DST, DIRTY_GAP + size, &bits,
				 &unmapped));
	EXPECT_EQ(2 * size, unmapped);
	EXPECT_EQ(DIRTY_BITS | DIRTY_STALE(3), bits);
	/* gone: nothing to report any more */
	bits = 0;
	EXPECT_EQ(0, dirty_get(c, IOVA_DST, DIRTY_GAP + size, &bits));
	EXPECT_EQ(0U, bits);
	EXPECT_EQ(0, dirty_track(c, VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP));
	EXPECT_EQ(-EINVAL, dirty_get(c, IOVA_HIGH, BUF_SIZE, &bits));
}

/*
 * EDU1's group joins the container after the mappings exist (it gets
 * them), then the mappings go away for both.
 */
TEST_F(dma, second_group)
{
	struct vfio_dev *d1 = &self->d1;
	uint64_t unmapped = 0;
	int fd;

	ASSERT_NE(NULL, edu1);
	vfio_fill(self->src, BUF_SIZE, 17);
	memset(self->dst, 0, BUF_SIZE);
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->src, IOVA_SRC,
				  BUF_SIZE, VFIO_DMA_MAP_FLAG_READ));
	ASSERT_EQ(0, vfio_map_dma(self->d.container, self->dst, IOVA_DST,
				  BUF_SIZE, RW));

	/* its group into our container, then its device: d1 owns both */
	fd = vfio_open_group(edu1);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vfio_dev_attach(d1, edu1, fd, self->d.container,
				     variant->type));
	ASSERT_EQ(0, edu_map_bar0(d1));
	ASSERT_EQ(0, edu_enable(d1));

	EXPECT_EQ(0, edu_dma(d1, IOVA_SRC, 0, EDU_DMA_MAX, false));
	EXPECT_EQ(0, edu_dma(d1, IOVA_DST, 0, EDU_DMA_MAX, true));
	EXPECT_EQ(0, memcmp(self->src, self->dst, EDU_DMA_MAX));

	EXPECT_EQ(0, vfio_unmap_dma(self->d.container, IOVA_DST, BUF_SIZE, 0,
				    &unmapped));
	EXPECT_EQ(BUF_SIZE, unmapped);
	memset(self->dst, 0x77, BUF_SIZE);
	EXPECT_EQ(0, edu_dma(d1, IOVA_DST, 0, EDU_DMA_MAX, true));
	EXPECT_EQ(0, edu_dma(&self->d, IOVA_DST, 0, EDU_DMA_MAX, true));
	EXPECT_EQ(BUF_SIZE, vfio_first_not(self->dst, BUF_SIZE, 0x77));
}

/* VFIO_UPDATE_VADDR's two halves */
#define VADDR_INVALIDATE	VFIO_DMA_UNMAP_FLAG_VADDR
#define VADDR_SET		VFIO_DMA_MAP_FLAG_VADDR

/*
 * The memfd behind self->mem, mapped MAP_SHARED at @where (MAP_FIXED) or
 * anywhere when NULL, pre-touched: the mapping or NULL.
 */
static uint8_t *memfd_map(FIXTURE_DATA(dma) * self, void *where)
{
	int flags = MAP_SHARED | MAP_POPULATE | (where ? MAP_FIXED : 0);
	void *p;

	p = mmap(where, self->mem_size, PROT_READ | PROT_WRITE, flags,
		 self->memfd, 0);
	return p == MAP_FAILED ? NULL : p;
}

/*
 * A live update (VFIO_UPDATE_VADDR): the mapping's vaddr is invalidated,
 * its memory (a memfd) goes from this process's address space and comes
 * back elsewhere, and the new vaddr is set.  Meanwhile the pages stay
 * pinned and mapped: the device reaches them all along, and its writes
 * are seen through the new vaddr.
 */
TEST_F(dma, update_vaddr)
{
	int c = self->d.container;
	uint8_t expect[EDU_DMA_MAX];
	uint64_t unmapped = 0;
	uint8_t *old, *mem;

	self->memfd = memfd_create("vfio_dma_test", MFD_CLOEXEC);
	ASSERT_LE(0, self->memfd);
	self->mem_size = BUF_SIZE;
	ASSERT_EQ(0, ftruncate(self->memfd, BUF_SIZE));
	old = memfd_map(self, NULL);
	ASSERT_NE(NULL, old);
	self->mem = old;
	ASSERT_EQ(0, vfio_map_dma(c, old, IOVA_DST, BUF_SIZE, RW));
	ASSERT_EQ(0, vfio_map_dma(c, self->src, IOVA_SRC, BUF_SIZE, RW));

	ASSERT_EQ(0, vfio_unmap_dma(c, IOVA_DST, BUF_SIZE, VADDR_INVALIDATE,
				    &unmapped));
	EXPECT_EQ(BUF_SIZE, unmapped);
	/* invalid vaddr, memory still there: the device writes it */
	vfio_fill(self->src, BUF_SIZE, 41);
	memcpy(expect, self->src, EDU_DMA_MAX);
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_SRC, 0, EDU_DMA_MAX, false));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_DST, 0, EDU_DMA_MAX, true));
	EXPECT_EQ(0, memcmp(expect, old, EDU_DMA_MAX));

	/* a place elsewhere for the memfd, then the old vaddr goes */
	mem = mmap(NULL, BUF_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	self->mem = mem;
	ASSERT_EQ(0, munmap(old, BUF_SIZE));
	/* no vaddr at all: the device still writes the pinned pages */
	vfio_fill(self->src, BUF_SIZE, 42);
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_SRC, 0, 1000, false));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_DST + PAGE, 0, 1000, true));
	ASSERT_EQ(mem, memfd_map(self, mem));
	EXPECT_EQ(0, memcmp(expect, mem, EDU_DMA_MAX));
	EXPECT_EQ(0, memcmp(self->src, mem + PAGE, 1000));

	ASSERT_EQ(0, vfio_map_dma(c, mem, IOVA_DST, BUF_SIZE, VADDR_SET));
	/* the device's writes through the new vaddr, both ways */
	vfio_fill(self->src, BUF_SIZE, 43);
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_SRC, 0, EDU_DMA_MAX, false));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_DST + 1, 0, EDU_DMA_MAX, true));
	EXPECT_EQ(0, memcmp(self->src, mem + 1, EDU_DMA_MAX));
	vfio_fill(mem, BUF_SIZE, 44);
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_DST + PAGE, 0, 2000, false));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_SRC, 0, 2000, true));
	EXPECT_EQ(0, memcmp(mem + PAGE, self->src, 2000));

	ASSERT_EQ(0, vfio_unmap_dma(c, IOVA_DST, BUF_SIZE, 0, &unmapped));
	EXPECT_EQ(BUF_SIZE, unmapped);
}

/*
 * What else 6.1 does while a vaddr is invalid, and ours the same: other
 * ranges map and unmap; a second invalidate fails and undoes its own
 * part (a range over a valid and an invalid mapping leaves both as they
 * were); the new vaddr must be for exactly the invalid mapping
 * (-ENOENT where there is none, -EINVAL otherwise); no group may join
 * the container (-EBUSY: replaying could need to pin); a plain unmap
 * removes the invalid mapping.  The extension is Type1's: 0 before
 * SET_IOMMU, 1 after.
 */
TEST_F(dma, update_vaddr_errors)
{
	int c = self->d.container, fd;
	uint64_t unmapped = 0;

	fd = vfio_open_container();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, vfio_ioctl(fd, VFIO_CHECK_EXTENSION,
				(void *)VFIO_UPDATE_VADDR));
	close(fd);
	EXPECT_EQ(1, vfio_ioctl(c, VFIO_CHECK_EXTENSION,
				(void *)VFIO_UPDATE_VADDR));

	ASSERT_EQ(0, vfio_map_dma(c, self->dst, IOVA_DST, BUF_SIZE, RW));
	/* only an invalid vaddr is set */
	EXPECT_EQ(-EINVAL, vfio_map_dma(c, self->dst, IOVA_DST, BUF_SIZE,
					VADDR_SET));
	/* v2 does not split a mapping; v1 takes all of it */
	if (variant->type == VFIO_TYPE1v2_IOMMU) {
		EXPECT_EQ(-EINVAL, vfio_unmap_dma(c, IOVA_DST, PAGE,
						  VADDR_INVALIDATE, NULL));
		ASSERT_EQ(0, vfio_unmap_dma(c, IOVA_DST, BUF_SIZE,
					    VADDR_INVALIDATE, &unmapped));
	} else {
		ASSERT_EQ(0, vfio_unmap_dma(c, IOVA_DST, PAGE,
					    VADDR_INVALIDATE, &unmapped));
	}
	EXPECT_EQ(BUF_SIZE, unmapped);
	EXPECT_EQ(-EINVAL, vfio_unmap_dma(c, IOVA_DST, BUF_SIZE,
					  VADDR_INVALIDATE, NULL));

	/* another range maps, below it; over both, nothing changes */
	ASSERT_EQ(0, vfio_map_dma(c, self->src, IOVA_SRC, BUF_SIZE, RW));
	EXPECT_EQ(-EINVAL, vfio_unmap_dma(c, IOVA_SRC,
					  IOVA_DST + BUF_SIZE - IOVA_SRC,
					  VADDR_INVALIDATE, NULL));
	EXPECT_EQ(-EINVAL, vfio_map_dma(c, self->src, IOVA_SRC, BUF_SIZE,
					VADDR_SET));

	/* the new vaddr: the invalid mapping's range exactly, no R/W */
	EXPECT_EQ(-EINVAL, vfio_map_dma(c, self->dst, IOVA_DST, PAGE,
					VADDR_SET));
	EXPECT_EQ(-EINVAL, vfio_map_dma(c, self->dst, IOVA_DST, 2 * BUF_SIZE,
					VADDR_SET));
	EXPECT_EQ(-EINVAL, vfio_map_dma(c, self->dst + PAGE, IOVA_DST + PAGE,
					PAGE, VADDR_SET));
	EXPECT_EQ(-ENOENT, vfio_map_dma(c, self->dst, IOVA_HIGH, BUF_SIZE,
					VADDR_SET));
	EXPECT_EQ(-EINVAL, vfio_map_dma(c, self->dst, IOVA_DST, BUF_SIZE,
					VADDR_SET | RW));

	/* the device still reaches the pages */
	vfio_fill(self->src, BUF_SIZE, 45);
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_SRC, 0, EDU_DMA_MAX, false));
	ASSERT_EQ(0, edu_dma(&self->d, IOVA_DST, 0, EDU_DMA_MAX, true));
	EXPECT_EQ(0, memcmp(self->src, self->dst, EDU_DMA_MAX));

	/* no group joins while a vaddr is invalid */
	ASSERT_NE(NULL, edu1);
	self->d1.group = vfio_open_group(edu1);
	ASSERT_LE(0, self->d1.group);
	EXPECT_EQ(-EBUSY, vfio_group_set_container(self->d1.group, c));

	/* a plain unmap of the invalid mapping; then the group joins */
	ASSERT_EQ(0, vfio_unmap_dma(c, IOVA_DST, BUF_SIZE, 0, &unmapped));
	EXPECT_EQ(BUF_SIZE, unmapped);
	EXPECT_EQ(-ENOENT, vfio_map_dma(c, self->dst, IOVA_DST, BUF_SIZE,
					VADDR_SET));
	fd = self->d1.group;
	ASSERT_EQ(0, vfio_dev_attach(&self->d1, edu1, fd, c, variant->type));
	ASSERT_EQ(0, edu_map_bar0(&self->d1));
	ASSERT_EQ(0, edu_enable(&self->d1));
	vfio_fill(self->src, PAGE, 46);
	memset(self->src + PAGE, 0, PAGE);
	ASSERT_EQ(0, edu_dma(&self->d1, IOVA_SRC, 0, 1000, false));
	ASSERT_EQ(0, edu_dma(&self->d1, IOVA_SRC + PAGE + 8, 0, 1000, true));
	EXPECT_EQ(0, memcmp(self->src, self->src + PAGE + 8, 1000));
}

int main(int argc, char **argv)
{
	edu0 = vfio_test_env("VFIO_EDU0");
	edu1 = vfio_test_env("VFIO_EDU1");
	if (!edu0 || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_EDU0, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	return test_harness_run(argc, argv);
}
