// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VGA region (VFIO_PCI_VGA_REGION_INDEX) of a VGA-class device,
 * VFIO_VGA (QEMU's std VGA, which nothing in the guest set up): the
 * legacy VGA memory 0xa0000-0xbffff and I/O ports 0x3b0-0x3bb and
 * 0x3c0-0x3df at their own offsets, the rest a hole, and none of it on a
 * device that is not VGA.  Sequencer and graphics controller registers
 * written through the region read back, and set the device up so that
 * its legacy memory window reads back what was written.  With vfio-pci's
 * disable_vga=1 (the test command's no-IOMMU lane boots with it) the
 * region is gone.  Debian's modules are built with VGA support and must
 * answer the same.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

#define VGA_SIZE	0xc0000ULL
#define VGA_MEM		0xa0000ULL
#define VGA_SEQ_INDEX	0x3c4ULL	/* then data at +1 */
#define VGA_GFX_INDEX	0x3ceULL
#define VGA_SEQ_MAP_MASK	0x02
#define VGA_SEQ_MEMORY_MODE	0x04
#define VGA_SR04_CHAIN4		0x08
#define VGA_GFX_SR_VALUE	0x00
#define VGA_GFX_MISC		0x06
#define VGA_GFX_MAP_A0000_64K	0x04	/* memory map select 01 */
#define DISABLE_VGA	"/sys/module/vfio_pci/parameters/disable_vga"

static const char *vga, *edu0;

static bool vga_disabled(void)
{
	char val[4] = "";

	return !vfio_read_line(DISABLE_VGA, val, sizeof(val)) && val[0] == 'Y';
}

FIXTURE(vga)
{
	struct vfio_dev d;
	struct vfio_region_info ri;
};

FIXTURE_SETUP(vga)
{
	vfio_dev_init(&self->d, vga);
	ASSERT_EQ(0, vfio_dev_open(&self->d, vga, VFIO_TYPE1v2_IOMMU));
	memset(&self->ri, 0, sizeof(self->ri));
	if (vga_disabled())
		return;
	ASSERT_EQ(0, vfio_region_info(self->d.device,
				      VFIO_PCI_VGA_REGION_INDEX, &self->ri));
}

FIXTURE_TEARDOWN(vga)
{
	vfio_dev_close(&self->d);
}

static int vga_out(FIXTURE_DATA(vga) * self, uint64_t port, uint8_t index,
		   uint8_t val)
{
	uint8_t b[2] = { index, val };

	return vfio_region_write(self->d.device, &self->ri, port, b, 2);
}

static int vga_in(FIXTURE_DATA(vga) * self, uint64_t port, uint8_t index,
		  uint8_t *val)
{
	int ret = vfio_region_write(self->d.device, &self->ri, port, &index, 1);

	return ret ? ret : vfio_region_read(self->d.device, &self->ri,
					    port + 1, val, 1);
}

/* What GET_REGION_INFO says, with and without disable_vga */
TEST_F(vga, region_info)
{
	struct vfio_region_info ri;

	if (vga_disabled()) {
		uint8_t b;

		EXPECT_EQ(-EINVAL, vfio_region_info(self->d.device,
						    VFIO_PCI_VGA_REGION_INDEX,
						    &ri));
		self->ri.offset = (uint64_t)VFIO_PCI_VGA_REGION_INDEX << 40;
		EXPECT_EQ(-EINVAL, vfio_region_read(self->d.device, &self->ri,
						    VGA_SEQ_INDEX, &b, 1));
		return;
	}
	EXPECT_EQ(VGA_SIZE, self->ri.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
		  self->ri.flags);
	EXPECT_EQ((uint64_t)VFIO_PCI_VGA_REGION_INDEX << 40, self->ri.offset);
}

/* A device that is not VGA has no VGA region */
TEST_F(vga, not_on_other_devices)
{
	struct vfio_dev d;
	struct vfio_region_info ri;
	uint8_t b;

	ASSERT_NE(NULL, edu0);
	vfio_dev_init(&d, edu0);
	ASSERT_EQ(0, vfio_dev_open(&d, edu0, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(-EINVAL, vfio_region_info(d.device,
					    VFIO_PCI_VGA_REGION_INDEX, &ri));
	ri.offset = (uint64_t)VFIO_PCI_VGA_REGION_INDEX << 40;
	EXPECT_EQ(-EINVAL, vfio_region_read(d.device, &ri, VGA_SEQ_INDEX,
					    &b, 1));
	vfio_dev_close(&d);
}

/* Offsets outside the three ranges are holes; accesses stop at a range's end */
TEST_F(vga, holes_and_ends)
{
	uint8_t buf[16];
	ssize_t n;

	if (vga_disabled())
		SKIP(return, "vfio-pci disable_vga=1");
	EXPECT_EQ(-EINVAL, vfio_region_read(self->d.device, &self->ri, 0,
					    buf, 1));
	EXPECT_EQ(-EINVAL, vfio_region_read(self->d.device, &self->ri, 0x3bc,
					    buf, 1));
	EXPECT_EQ(-EINVAL, vfio_region_read(self->d.device, &self->ri, 0x3e0,
					    buf, 1));
	EXPECT_EQ(-EINVAL, vfio_region_read(self->d.device, &self->ri,
					    VGA_SIZE, buf, 1));
	EXPECT_EQ(-EINVAL, vfio_region_read(self->d.device, &self->ri,
					    VGA_MEM - 1, buf, 1));
	/* 16 bytes from 0x3b8: the 4 up to 0x3bb */
	n = pread(self->d.device, buf, sizeof(buf), self->ri.offset + 0x3b8);
	EXPECT_EQ(4, n);
	n = pread(self->d.device, buf, sizeof(buf),
		  self->ri.offset + VGA_SIZE - 8);
	EXPECT_EQ(8, n);
}

/* Index registers read back; data registers keep what was written */
TEST_F(vga, io_registers)
{
	uint8_t v = 0;

	if (vga_disabled())
		SKIP(return, "vfio-pci disable_vga=1");
	ASSERT_EQ(0, vga_out(self, VGA_GFX_INDEX, VGA_GFX_SR_VALUE, 0x0a));
	ASSERT_EQ(0, vga_in(self, VGA_GFX_INDEX, VGA_GFX_SR_VALUE, &v));
	EXPECT_EQ(0x0a, v);
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->ri,
				      VGA_GFX_INDEX, &v, 1));
	EXPECT_EQ(VGA_GFX_SR_VALUE, v);
	ASSERT_EQ(0, vga_out(self, VGA_GFX_INDEX, VGA_GFX_SR_VALUE, 0));
	ASSERT_EQ(0, vga_in(self, VGA_GFX_INDEX, VGA_GFX_SR_VALUE, &v));
	EXPECT_EQ(0, v);
}

/*
 * Chain-4 mode, every plane writable, the 64 KiB window at 0xa0000:
 * bytes written into the legacy memory read back.
 */
TEST_F(vga, legacy_memory)
{
	uint8_t out[256], in[256];
	unsigned int i;

	if (vga_disabled())
		SKIP(return, "vfio-pci disable_vga=1");
	ASSERT_EQ(0, vga_out(self, VGA_SEQ_INDEX, VGA_SEQ_MAP_MASK, 0x0f));
	ASSERT_EQ(0, vga_out(self, VGA_SEQ_INDEX, VGA_SEQ_MEMORY_MODE,
			     VGA_SR04_CHAIN4));
	ASSERT_EQ(0, vga_out(self, VGA_GFX_INDEX, VGA_GFX_MISC,
			     VGA_GFX_MAP_A0000_64K));
	for (i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 37 + 11);
	ASSERT_EQ(0, vfio_region_write(self->d.device, &self->ri,
				       VGA_MEM + 0x100, out, sizeof(out)));
	memset(in, 0, sizeof(in));
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->ri,
				      VGA_MEM + 0x100, in, sizeof(in)));
	EXPECT_EQ(0, memcmp(out, in, sizeof(in)));
}

int main(int argc, char **argv)
{
	vga = vfio_test_env("VFIO_VGA");
	edu0 = vfio_test_env("VFIO_EDU0");
	if (!vga || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_VGA, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	return test_harness_run(argc, argv);
}
